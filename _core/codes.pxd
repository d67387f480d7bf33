# The shared codes of cranesim.codes, as C enums for the compiled core (cimported as ``codes``).
#
# A mirror of cranesim/codes.py: tests/test_codes.py parses this file and checks that every
# name here has the same value there.  Declarations only: cimporting it adds no runtime import.

cdef enum:
    POLICY_GREEDY = 0
    POLICY_FCFS_NEAREST = 1
    POLICY_RANDOM_FREE = 2

cdef enum:
    LIFT_STORE = 0
    LIFT_RETRIEVE = 1
    LIFT_RELOCATE = 2
