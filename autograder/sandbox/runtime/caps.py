"""Named caps on what untrusted code can make the grader keep or say.

One home for the lengths a child's words are cut to and the sizes its data
may reach. Imported on both sides of the sandbox (it is one of the runtime's
files): standard library only, constants only.
"""
MESSAGE = 300            # characters of an exception message, a load error, a reason shown to a student
TYPE_NAME = 80           # characters of an exception's class name
DETAIL = 200             # characters of a server's "how it ended" or a type's qualified name
HELPER_CALLS = 20_000    # served helper calls in one run (error carried forward)
HELPER_ANSWER = 4 * 1024 * 1024   # bytes of one served helper's answer
