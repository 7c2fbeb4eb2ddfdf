#!/usr/bin/env bash
# Debian packages the grader uses: bubblewrap (the sandbox) and chromium (the
# headless-browser test of the HTML reports); Debian's python3 with numpy lets
# the test suite run the sandbox's attacks as an ordinary user (root's own
# interpreter may sit where other users cannot read), and capsh (libcap2-bin) runs
# them as a root without CAP_SYS_ADMIN, as in a container. Installed only when missing;
# needs root (CI runs as root). Without them the grader still runs: it warns
# and records a weaker isolation level.
set -euo pipefail
missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
/usr/bin/python3 -c "import numpy" >/dev/null 2>&1 || missing+=(python3 python3-numpy)
PATH="$PATH:/usr/sbin:/sbin" command -v capsh >/dev/null 2>&1 || missing+=(libcap2-bin)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "warning: cannot install ${missing[*]} (need root and apt-get); continuing without them" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
