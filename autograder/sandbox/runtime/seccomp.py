"""A seccomp filter that refuses the system calls a grading child never needs.

Runs inside the sandbox (standard library only). ``install()`` sets
no-new-privileges and loads a classic BPF program, written out here rather
than through libseccomp so that the sandbox needs no extra package:

* the architecture must be x86-64 (a foreign ABI, or the x32 ABI, is refused);
* the calls in ``REFUSED`` fail with EPERM: mounting and namespaces (a root
  grader's child could otherwise remount its read-only views), tracing and
  reading or writing another process's memory, kernel keyrings, BPF,
  performance counters, kernel modules, file handles that bypass the mount
  table, io_uring (whose operations are not seen by seccomp), and the like;
* System V IPC objects and POSIX message queues cannot be made: they would
  outlive the child in the worker's IPC namespace;
* ``clone`` with any namespace flag fails with EPERM; ``clone3`` fails with
  ENOSYS, so the C library falls back to ``clone`` (whose flags are visible).

The filter is inherited by every process the child starts and cannot be
removed. On another architecture nothing is installed and ``install``
returns False, which the grader records.
"""
from __future__ import annotations

import ctypes
import errno
import platform
import struct

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000

SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_KILL_PROCESS = 0x80000000

# classic BPF opcodes
LD_W_ABS = 0x20        # BPF_LD | BPF_W | BPF_ABS
JEQ_K = 0x15           # BPF_JMP | BPF_JEQ | BPF_K
JGE_K = 0x35           # BPF_JMP | BPF_JGE | BPF_K
JSET_K = 0x45          # BPF_JMP | BPF_JSET | BPF_K
RET_K = 0x06           # BPF_RET | BPF_K

# offsets in struct seccomp_data
NR, ARCH, ARG0_LOW = 0, 4, 16

# x86-64 system call numbers
REFUSED = {
    "ptrace": 101, "syslog": 103, "uselib": 134, "personality": 135, "vhangup": 153,
    "pivot_root": 155, "chroot": 161, "acct": 163, "mount": 165, "umount2": 166,
    "swapon": 167, "swapoff": 168, "reboot": 169, "iopl": 172, "ioperm": 173,
    "init_module": 175, "delete_module": 176, "quotactl": 179, "kexec_load": 246,
    "add_key": 248, "request_key": 249, "keyctl": 250, "unshare": 272,
    "perf_event_open": 298, "name_to_handle_at": 303, "open_by_handle_at": 304,
    "setns": 308, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312,
    "finit_module": 313, "kexec_file_load": 320, "bpf": 321, "userfaultfd": 323,
    "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
    "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431,
    "fsmount": 432, "fspick": 433, "pidfd_getfd": 438, "mount_setattr": 442,
    # System V IPC and POSIX message queues outlive the process that made them
    # (they belong to the worker's IPC namespace): a child could hold memory
    # or leave messages for the next student.
    "shmget": 29, "semget": 64, "msgget": 68, "mq_open": 240,
}
CLONE = 56
CLONE3 = 435
# CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWTIME
CLONE_NAMESPACES = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x80


def _stmt(code: int, k: int) -> tuple[int, int, int, int]:
    return (code, 0, 0, k)


def _jump(code: int, k: int, jt: int, jf: int) -> tuple[int, int, int, int]:
    return (code, jt, jf, k)


def program() -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k) instructions."""
    eperm = SECCOMP_RET_ERRNO | errno.EPERM
    refused = sorted(set(REFUSED.values()))
    prog = [
        _stmt(LD_W_ABS, ARCH),
        _jump(JEQ_K, AUDIT_ARCH_X86_64, 1, 0),
        _stmt(RET_K, SECCOMP_RET_KILL_PROCESS),
        _stmt(LD_W_ABS, NR),
        _jump(JGE_K, X32_SYSCALL_BIT, 0, 1),
        _stmt(RET_K, eperm),
        _jump(JEQ_K, CLONE3, 0, 1),
        _stmt(RET_K, SECCOMP_RET_ERRNO | errno.ENOSYS),
        _jump(JEQ_K, CLONE, 0, 4),
        _stmt(LD_W_ABS, ARG0_LOW),            # clone's flags (low 32 bits hold every CLONE_NEW*)
        _jump(JSET_K, CLONE_NAMESPACES, 1, 0),
        _stmt(RET_K, SECCOMP_RET_ALLOW),
        _stmt(RET_K, eperm),
    ]
    # each refused number: "jeq nr -> the final EPERM", counting the jumps left
    for i, nr in enumerate(refused):
        prog.append(_jump(JEQ_K, nr, len(refused) - i, 0))
    prog += [_stmt(RET_K, SECCOMP_RET_ALLOW), _stmt(RET_K, eperm)]
    return prog


def supported() -> bool:
    return platform.machine() in ("x86_64", "AMD64") and struct.calcsize("P") == 8


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install() -> bool:
    """Set no-new-privileges and load the filter into this process (and
    everything it will start). True if the filter is in force."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if not supported():
        return False
    instructions = program()
    raw = b"".join(struct.pack("=HBBI", *ins) for ins in instructions)
    buffer = ctypes.create_string_buffer(raw, len(raw))
    fprog = _SockFprog(len(instructions), ctypes.addressof(buffer))
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")
    return True
