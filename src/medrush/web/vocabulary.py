"""Words the pages show from data (statuses, levels, sexes): marked here so `make messages` extracts
them, since templates translate them from variables (``{{ _(c.status) }}``)."""

from __future__ import annotations

from medrush.kernel.i18n import N_

__all__ = [
    "AUDIT_ACTION_LABELS",
    "JURISDICTION_LABELS",
    "ONLY_IN_LABELS",
    "ORDER_STATUS_LABELS",
    "REJECT_REASON_LABELS",
    "RULE_KIND_LABELS",
    "SHOWN_FROM_DATA",
    "WEEKDAYS",
]

SHOWN_FROM_DATA = (
    # consultation statuses
    N_("waiting"),
    N_("active"),
    N_("closed"),
    N_("referred"),
    # safety levels
    N_("info"),
    N_("allow"),
    N_("warn"),
    N_("block"),
    N_("emergency"),
    # sexes
    N_("female"),
    N_("male"),
    N_("other"),
    N_("unknown"),
    # prescription statuses and review decisions
    N_("draft"),
    N_("signed"),
    N_("approved"),
    N_("rejected"),
    N_("used"),
    N_("expired"),
    N_("approve"),
    N_("reject"),
    # courier board: status, vehicles, stops, delivery jobs
    N_("online"),
    N_("offline"),
    N_("bicycle"),
    N_("scooter"),
    N_("car"),
    N_("foot"),
    N_("pickup"),
    N_("dropoff"),
    N_("open"),
    N_("offered"),
    N_("assigned"),
    N_("picked_up"),
    N_("delivered"),
    N_("cancelled"),
    # payment statuses
    N_("pending"),
    N_("succeeded"),
    N_("failed"),
    N_("refunded"),
    # sexes as the family page shows them
    N_("Female"),
    N_("Male"),
    N_("Other"),
    N_("Unknown"),
)

# Codes whose words differ from the code: what people read for an order's state (the API and
# data-status attributes keep the codes), a pharmacy's rejection reasons, weekdays (0 = Monday)
ORDER_STATUS_LABELS = {
    "placed": N_("Placed, waiting for payment"),
    "paid": N_("Paid"),
    "accepted": N_("Accepted by the pharmacy"),
    "picking": N_("Being picked"),
    "ready": N_("Ready"),
    "courier_assigned": N_("Courier on the way to the pharmacy"),
    "picked_up": N_("On its way to you"),
    "delivered": N_("Delivered"),
    "cancelled": N_("Cancelled"),
    "refunded": N_("Refunded"),
}
REJECT_REASON_LABELS = {
    "out_of_stock": N_("Out of stock"),
    "closing": N_("Closing"),
    "too_busy": N_("Too busy"),
    "prescription_issue": N_("Prescription issue"),
    "other": N_("Other reason"),
}
# the kinds of safety rules (the rules page) and what happened to health data (the audit page)
RULE_KIND_LABELS = {
    "age": N_("Age"),
    "allergy_cross_reactivity": N_("Allergy and cross-reactivity"),
    "breastfeeding": N_("Breastfeeding"),
    "conditions": N_("Conditions"),
    "duplication": N_("Duplicate ingredients"),
    "interactions": N_("Interactions"),
    "older_adults": N_("Older adults"),
    "pregnancy": N_("Pregnancy"),
    "red_flag": N_("Red flags (emergencies)"),
}
# the deployment profiles whose rule levels differ from the generic ones (the rules page)
JURISDICTION_LABELS = {
    "cn": N_("In China"),
    "kr": N_("In Korea"),
}
# a rule that exists in some jurisdictions only (``only_in``)
ONLY_IN_LABELS = {
    "cn": N_("Only in China"),
    "kr": N_("Only in Korea"),
}
AUDIT_ACTION_LABELS = {
    "read": N_("read"),
    "create": N_("created"),
    "update": N_("changed"),
    "delete": N_("deleted"),
    "denied": N_("refused"),
    "export": N_("exported"),
}
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
