"""Every code shared between the parts of cranesim, declared once.

The SimPy model, the scheduler cores (compiled and reference), the physics, the records, the
studies and the animation exchange small integers and short names: the kind of a lift, a
scheduling policy, an axis, what a move was for, the state of a crane, a slot of the scheduler's
parameter array, the kind of an event record.  They are declared here and nowhere else.
``_core/codes.pxd`` mirrors the ones the compiled core needs as C enums;
``tests/test_codes.py`` checks the two agree, name by name.

Example
-------
>>> LIFT_KINDS[LIFT_RELOCATE], AXIS_NAMES[HOIST], POLICY_CODES["fcfs_nearest"]
('relocate', 'hoist', 1)
>>> P_STATION_FILL, PARAM_NAMES[P_STATION_FILL]
(7, 'station_fill')
"""

from __future__ import annotations

# ----------------------------------------------------------------------------- lifts and jobs
#: A lift moves one coil: from the station to the floor (store), from the floor to a truck
#: (retrieve), or from one floor place to another to free a coil underneath (relocate).
LIFT_STORE, LIFT_RETRIEVE, LIFT_RELOCATE = 0, 1, 2
LIFT_KINDS = ("store", "retrieve", "relocate")
LIFT_KIND_CODES = {name: code for code, name in enumerate(LIFT_KINDS)}
#: Jobs are the demand the scheduler serves: a coil on the station to store, a coil a truck
#: waits for.  A relocation is a lift that serves a retrieve job, never a job of its own.
JOB_STORE, JOB_RETRIEVE = LIFT_STORE, LIFT_RETRIEVE

# ----------------------------------------------------------------------------- policies
#: The scheduler core's policies (``params[P_POLICY]``): how the core picks lifts and places.
POLICY_GREEDY, POLICY_FCFS_NEAREST, POLICY_RANDOM_FREE, POLICY_JOINT, POLICY_ROLLOUT = 0, 1, 2, 3, 4
POLICY_NAMES = ("greedy", "fcfs_nearest", "random_free", "joint", "rollout")
POLICY_CODES = {name: code for code, name in enumerate(POLICY_NAMES)}
#: Policies that wrap the core (``cranesim.model.dispatch``): the crew's rules on the automated
#: cranes, without and with crane zones.  ``[scheduler] policy`` takes these and the core's.
DISPATCH_POLICIES = ("plant_rules", "plant_zoned")
SCHEDULER_POLICIES = POLICY_NAMES + DISPATCH_POLICIES

#: ``[scheduler] objective``: what greedy compares travels by.
OBJ_TIME, OBJ_ENERGY, OBJ_MIX = 0, 1, 2
OBJECTIVE_NAMES = ("time", "energy", "mix")
OBJECTIVE_CODES = {name: code for code, name in enumerate(OBJECTIVE_NAMES)}

# ----------------------------------------------------------------------------- scheduler params
#: Indices into ``SchedState.params`` (float64[N_PARAMS]); the model writes them, both cores
#: read them.  Units: s = crane-seconds of cost.
P_W_RELOC = 0  #: cost of one relocation (s)
P_W_STATION = 1  #: store priority when the station is full (s, scaled by the fill fraction)
P_W_TRUCK_WAIT = 2  #: retrieve priority per minute the truck has waited (s/min)
P_W_UPPER = 3  #: penalty for putting a coil on the upper layer (s)
P_W_BLOCK_DEMAND = 4  #: extra upper-layer penalty per pending truck coil of a blocked grade (s)
P_W_INTERFERENCE = 5  #: penalty per busy crane whose runway interval the lift overlaps (s)
P_POLICY = 6  #: a POLICY_* code
P_STATION_FILL = 7  #: occupied fraction of the station buffer (0..1), refreshed by the model
P_SAFETY = 8  #: runway safety distance (m)
P_SEED = 9  #: random seed of random_free (an integer-valued float, |seed| < 2**53)
P_MAX_INTERF = 10  #: budget (s) of pushes and waits a greedy lift may cost
P_W_ZONE = 11  #: penalty (s/m) for a store/relocation target outside the crane's zone
P_W_LOOKAHEAD = 12  #: greedy look-ahead: s of budget per s of delay caused to a neighbour
P_LIFT_HANDLING = 13  #: handling time of one lift (s): hoisting at pick and place, pick, place
P_ROLL_MARGIN = 14  #: rollout: candidates within this many s of the best lift's cost
P_ROLL_JOBS = 15  #: rollout: open jobs in the plan (the oldest; the candidates' always)
P_ROLL_CANDS = 21  #: rollout: candidate first lifts tried at most (the cheapest)
P_STATION_FIRST = 22  #: greedy, joint, rollout: stores only while the station is this full
P_OBJECTIVE = 16  #: an OBJ_* code: greedy's travel measure
P_S_PER_KWH = 17  #: energy and mix: seconds of cost per kWh of estimated crane energy
P_TOP_Z = 18  #: hook travel height (m): the hoist runs from here down to loc_z and back
P_W_COVER = 19  #: penalty (s) per supporting coil of another grade a new upper coil covers
P_W_FINISH = 20  #: retrieve penalty (s) per other coil its truck still needs
N_PARAMS = 24  #: length of ``params`` (23 is free)
N_OUT = 5  #: length of ``out``: crane, job, src_loc, dst_loc, lift kind

#: Parameter index -> name (the free slots have none).
PARAM_NAMES = {
    P_W_RELOC: "w_reloc_s",
    P_W_STATION: "w_station_s",
    P_W_TRUCK_WAIT: "w_truck_wait_s_per_min",
    P_W_UPPER: "w_upper_s",
    P_W_BLOCK_DEMAND: "w_block_demand_s",
    P_W_INTERFERENCE: "w_interference_s",
    P_POLICY: "policy",
    P_STATION_FILL: "station_fill",
    P_SAFETY: "safety_distance_m",
    P_SEED: "seed",
    P_MAX_INTERF: "max_interference_s",
    P_W_ZONE: "w_zone_s_per_m",
    P_W_LOOKAHEAD: "w_lookahead",
    P_LIFT_HANDLING: "lift_handling_s",
    P_ROLL_MARGIN: "rollout_margin_s",
    P_ROLL_JOBS: "rollout_jobs",
    P_ROLL_CANDS: "rollout_candidates",
    P_STATION_FIRST: "station_first_fill",
    P_OBJECTIVE: "objective",
    P_S_PER_KWH: "seconds_per_kwh",
    P_TOP_Z: "hook_travel_height_m",
    P_W_COVER: "w_cover_s",
    P_W_FINISH: "w_finish_s",
}

# ----------------------------------------------------------------------------- cranes
#: The three axes of a crane: bridge (x, along the runway), trolley (y), hoist (z).
BRIDGE, TROLLEY, HOIST = 0, 1, 2
AXIS_NAMES = ("bridge", "trolley", "hoist")

#: What a crane is doing, as the runway protocol sees it.
IDLE, TRAVEL, WORK, WAITING, YIELDING = range(5)
STATE_NAMES = ("idle", "travel", "work", "waiting", "yielding")

#: What an axis move was for (the energy study counts starts by purpose).
TAG_MAIN, TAG_JOG, TAG_COUNTER, TAG_YIELD, TAG_HOIST = range(5)
TAG_NAMES = ("main", "jog", "counter", "yield", "hoist")

# ----------------------------------------------------------------------------- energy
#: Drive types of ``[energy.automated]`` / ``[energy.manual]``.
DRIVES = ("inverter_resistor", "inverter_regen", "wound_rotor_contactor")
#: Energy categories kept per axis (kWh); ``net = motoring + start_loss + fixed - regen``.
CATEGORIES = ("motoring", "regen", "start_loss", "fixed")

# ----------------------------------------------------------------------------- records
#: The ``kind`` of an event record (see :mod:`cranesim.record.trace`).
RECORD_KINDS = (
    "coil_in",  # a coil reaches the unloading station (value = station fill after it, 0..1)
    "mill_blocked",  # the mill could not deliver: station full (dur = blocked time)
    "mill_stop",  # a mill stoppage (dur)
    "truck_arrive",  # a truck joins the queue (value = coils ordered)
    "truck_dock",  # a truck reaches a loading bay (dur = time it waited in the queue)
    "truck_depart",  # a truck leaves (dur = turnaround since arrival)
    "move_empty",  # crane travels to a pick place without load
    "pick",  # hoist down, grab, hoist up
    "move_loaded",  # crane travels with load
    "place",  # hoist down, release, hoist up: the lift is complete
    "yield",  # crane pushed aside by a neighbour
    "wait",  # crane waits for runway space held by a neighbour (dur)
    "break",  # driver break or shift handover: the crane takes no lift (dur)
    "sample",  # periodic sample (value = inventory)
    # What is still open when the run ends (cranesim.model.horizon), so that time-based KPIs
    # count it; each emitted at the horizon:
    "mill_blocked_open",  # the mill is still blocked (from the block's start to the horizon)
    "truck_queued",  # a truck still waits for a bay (at the horizon)
    "truck_loading",  # a truck still at a bay (at the horizon)
    "lift_open",  # a crane's lift still under way (its part not yet recorded, to the horizon)
    "wait_open",  # a crane still waits for runway space (from the wait's start)
    "yield_open",  # an idle crane still being pushed aside (from the push's start)
)
#: Crane stage records (with motion or a runway wait) and their compact codes, as the KPI sums
#: (compiled and Python) take them.
STAGE_CODES = {"move_empty": 0, "pick": 1, "move_loaded": 2, "place": 3, "yield": 4, "wait": 5}
#: The stages of a lift, in order (a lift's record sequence).
LIFT_STAGES = ("move_empty", "pick", "move_loaded", "place")
