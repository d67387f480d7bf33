# The shared codes of cranesim.codes, as C enums for the compiled core (cimported as ``codes``).
#
# A mirror of cranesim/codes.py: tests/test_codes.py parses this file and checks that every
# name here has the same value there.  Declarations only: cimporting it adds no runtime import.

cdef enum:
    POLICY_GREEDY = 0
    POLICY_FCFS_NEAREST = 1
    POLICY_RANDOM_FREE = 2
    POLICY_JOINT = 3
    POLICY_ROLLOUT = 4

# axes (cranesim.codes BRIDGE, TROLLEY, HOIST)
cdef enum:
    BRIDGE = 0
    TROLLEY = 1
    HOIST = 2

cdef enum:
    LIFT_STORE = 0
    LIFT_RETRIEVE = 1
    LIFT_RELOCATE = 2

# indices into SchedState.params (cranesim.codes P_*)
cdef enum:
    P_W_RELOC = 0
    P_W_STATION = 1
    P_W_TRUCK_WAIT = 2
    P_W_UPPER = 3
    P_W_BLOCK_DEMAND = 4
    P_W_INTERFERENCE = 5
    P_POLICY = 6
    P_STATION_FILL = 7
    P_SAFETY = 8
    P_SEED = 9
    P_MAX_INTERF = 10
    P_W_ZONE = 11
    P_W_LOOKAHEAD = 12
    P_LIFT_HANDLING = 13
    P_ROLL_MARGIN = 14
    P_ROLL_JOBS = 15
    P_OBJECTIVE = 16
    P_S_PER_KWH = 17
    P_TOP_Z = 18
    P_W_COVER = 19
    P_W_FINISH = 20
    P_ROLL_CANDS = 21
    P_STATION_FIRST = 22
    N_PARAMS = 24
    N_OUT = 5
