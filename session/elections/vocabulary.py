"""The words of an election: its kinds, sources, statuses, phases, steps and the rule constants."""

from enum import StrEnum

from session.majority import Ratio


class ElectionKind(StrEnum):
    """Domain rules 4.1."""

    COMMITTEE = "committee"  # cấp ủy / ban chấp hành
    STANDING_COMMITTEE = "standing_committee"  # ban thường vụ
    SECRETARY = "secretary"  # bí thư
    DEPUTY_SECRETARY = "deputy_secretary"  # phó bí thư
    INSPECTION_COMMITTEE = "inspection_committee"  # ủy ban kiểm tra
    INSPECTION_CHAIR = "inspection_chair"  # chủ nhiệm ủy ban kiểm tra
    DELEGATES_HIGHER = "delegates_higher"  # đoàn đại biểu dự đại hội cấp trên
    OPINION_POLL = "opinion_poll"  # lấy phiếu xin ý kiến / phiếu giới thiệu


# Whose elected members a kind takes its candidates from (244 Art 19(9); domain rules 4.1).
POOLS: dict[ElectionKind, frozenset[ElectionKind]] = {
    ElectionKind.STANDING_COMMITTEE: frozenset({ElectionKind.COMMITTEE}),
    ElectionKind.SECRETARY: frozenset({ElectionKind.COMMITTEE, ElectionKind.STANDING_COMMITTEE}),
    ElectionKind.DEPUTY_SECRETARY: frozenset(
        {ElectionKind.COMMITTEE, ElectionKind.STANDING_COMMITTEE}
    ),
    ElectionKind.INSPECTION_CHAIR: frozenset({ElectionKind.INSPECTION_COMMITTEE}),
}
NOMINATION_POOLS = frozenset({ElectionKind.COMMITTEE, ElectionKind.STANDING_COMMITTEE})
SURPLUS_REQUIRED = frozenset({ElectionKind.COMMITTEE, ElectionKind.STANDING_COMMITTEE})
PARTY_RULE = Ratio(1, 2, strict=True)


class Source(StrEnum):
    LIST = "list"  # the convening committee's list
    NOMINATED = "nominated"  # nominated at the congress by a delegate
    SELF = "self"  # self-nominated
    ADDED = "added"  # added to a later round by a congress vote


class CandidateStatus(StrEnum):
    ON_LIST = "on_list"
    NOT_ADMITTED = "not_admitted"  # nominated without the support of > 30 % of those present
    WITHDRAWN = "withdrawn"  # withdrawal allowed by the congress
    CUT = "cut"  # left the list by the opinion ballot


class SeatsSource(StrEnum):
    VOTE = "vote"  # decided by a show-of-hands vote
    ALLOCATED = "allocated"  # allocated by the higher committee (a delegation's official seats)


class BoxKind(StrEnum):
    MAIN = "main"
    AUXILIARY = "auxiliary"  # hòm phiếu phụ, carried to those who cannot reach the hall


class BoxStatus(StrEnum):
    PREPARED = "prepared"
    SEALED = "sealed"  # inspected empty and sealed
    VOTING = "voting"
    CLOSED = "closed"
    OPENED = "opened"  # opened for counting
    COUNTED = "counted"
    SIGNED = "signed"  # the counting minutes signed


_BOX_ORDER = {s: i for i, s in enumerate(BoxStatus)}


class Phase(StrEnum):
    MAIN = "main"  # the seats (a delegation's official delegates)
    ALTERNATE = "alternate"  # a delegation's alternates


class RoundReason(StrEnum):
    FIRST = "first"
    UNFILLED = "unfilled"  # seats left unfilled: the congress voted another round
    TIE_BREAK = "tie_break"  # a further ballot among candidates tied at the cut-off
    ALTERNATES = "alternates"  # a delegation's alternate ballot


class RoundStatus(StrEnum):
    LIST = "list"  # the list is being drawn up
    LIST_APPROVED = "list_approved"  # ballots can be printed
    VOTING = "voting"
    CLOSED = "closed"  # every box closed
    COUNTING = "counting"
    COUNTED = "counted"  # every box counted
    SIGNED = "signed"  # the counting minutes signed
    ANNOUNCED = "announced"


class VotingWarning(StrEnum):
    EMPTY_BASE = "empty_base"
    NO_CANDIDATE_CAN_PASS = "no_candidate_can_pass"  # 2 × present ≤ base under the Party rule


class Step(StrEnum):
    """What the election waits for next."""

    SEATS = "seats"
    LIST = "list"  # nominations, withdrawals, the surplus check, then the list vote
    VOTING = "voting"  # boxes, counting committee, voting, closing
    COUNTING = "counting"
    SIGNING = "signing"
    ANNOUNCING = "announcing"
    TIE = "tie"  # a tie at the cut-off, per the tie policy
    NEXT_ROUND = "next_round"  # seats unfilled: the congress votes another round or to stop
    OVERFLOW = "overflow"  # delegation: do those beyond the official seats become alternates?
    ALTERNATES = "alternates"  # delegation: the alternate ballot
    ALTERNATE_ORDER = "alternate_order"  # alternates tied on votes: their order to decide
    COMPLETE = "complete"
    STOPPED = "stopped"  # the congress voted to stop with seats left empty
