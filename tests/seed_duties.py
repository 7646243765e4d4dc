"""The seed duties: every duty of the HR Executive vs HR Generalist comparison that seeded hrdocs.

The built-in catalogue (``roles/hr-executive.yaml`` and ``roles/hr-generalist.yaml``) began from a
published comparison of the two roles, duty by duty, in four areas. Those duties are facts about the
roles and must reach every document made from the catalogue; the wording of the catalogue is ours
(complete sentences, third person present, typos fixed: "Aquisition's" means acquisitions, "write
ups" are written warnings, "terms" are terminations).

Each entry is ``(role id, area id, the seed's text verbatim, key phrases)``. The key phrases come
from our wording, not the seed's, and each must appear (case-insensitive) in that role's duty text
for that area, so a later edit cannot drop a seed duty or move it to another role or area unnoticed.
The seed's text is kept as published, typos and curly quotes included, except that its no-break
spaces (U+00A0) are written as plain spaces; compare with whitespace normalized. This module holds
data only; the tests that use it live elsewhere.

The seed lists 15 executive duties and 13 generalist duties: 28 in all.
"""

from __future__ import annotations

SEED_DUTIES: list[tuple[str, str, str, tuple[str, ...]]] = [
    # --- HR Executive: Strategic Planning
    ("hr-executive", "strategic-planning", "Workforce planning", ("workforce planning",)),
    ("hr-executive", "strategic-planning", "Succession planning", ("succession planning",)),
    (
        "hr-executive",
        "strategic-planning",
        "Setting strategic HR KPI’s priorities",
        ("strategic priorities", "key performance indicators (KPIs)"),
    ),
    (
        "hr-executive",
        "strategic-planning",
        ("Provide CEO with guidance on strategic people decisions: hiring, promoting, write ups, terms"),
        ("advises the ceo", "hiring, promotions, write-ups and terminations"),
    ),
    # --- HR Executive: Policy Formation
    (
        "hr-executive",
        "policy-formation",
        "Designs, maintain and improve overarching policies",
        ("designs, maintains and improves", "overarching policies"),
    ),
    ("hr-executive", "policy-formation", "Employee Handbook", ("employee handbook",)),
    (
        "hr-executive",
        "policy-formation",
        "Policy enforcement / resolution",
        ("policy enforcement", "resolution of policy disputes"),
    ),
    # --- HR Executive: Employee Relations
    (
        "hr-executive",
        "employee-relations",
        "Sounding board and strategic partner with general workforce management",
        ("sounding board", "strategic partner"),
    ),
    ("hr-executive", "employee-relations", "Manage conflict resolution", ("conflict resolution",)),
    ("hr-executive", "employee-relations", "HR Investigations", ("hr investigations",)),
    (
        "hr-executive",
        "employee-relations",
        "Staff and Supervisor Trainings",
        ("training for staff and supervisors",),
    ),
    # --- HR Executive: HR Operations
    (
        "hr-executive",
        "hr-operations",
        "Assist with benefit renewal meetings with all providers",
        ("benefit renewal meetings", "all benefit providers"),
    ),
    (
        "hr-executive",
        "hr-operations",
        "Maintain company “voice” through all HR documentation and correspondence",
        ("company voice", "hr documents and correspondence"),
    ),
    (
        "hr-executive",
        "hr-operations",
        "Guide HR / Leadership staff as a leading authority in all human affairs",
        ("guides hr staff and senior managers", "chief authority on all people matters"),
    ),
    (
        "hr-executive",
        "hr-operations",
        "Manage the HR side of mergers and Aquisition's",
        ("hr side of mergers and acquisitions",),
    ),
    # --- HR Generalist: Strategic Planning
    ("hr-generalist", "strategic-planning", "Gather Data", ("gathers workforce data",)),
    (
        "hr-generalist",
        "strategic-planning",
        "Provide insight on challenges",
        ("provides insight", "problems and obstacles"),
    ),
    (
        "hr-generalist",
        "strategic-planning",
        "Implement strategic initiatives",
        ("implements strategic hr initiatives",),
    ),
    # --- HR Generalist: Policy Formation
    (
        "hr-generalist",
        "policy-formation",
        "Ensure policies are communicated across organization",
        ("policies are communicated", "across the whole organization"),
    ),
    # --- HR Generalist: Employee Relations
    (
        "hr-generalist",
        "employee-relations",
        "Answer policy questions",
        ("answers policy questions",),
    ),
    ("hr-generalist", "employee-relations", "Draft write ups", ("drafts write-ups",)),
    (
        "hr-generalist",
        "employee-relations",
        "Provided guidance on documentation",
        ("provides guidance", "documentation"),
    ),
    # --- HR Generalist: HR Operations
    (
        "hr-generalist",
        "hr-operations",
        "Onboard / offboard new employees to HR systems",
        ("onboards new employees to hr systems", "offboards departing employees"),
    ),
    (
        "hr-generalist",
        "hr-operations",
        "Create job descriptions, offer letters, denial letters",
        ("job descriptions", "offer letters", "denial letters"),
    ),
    ("hr-generalist", "hr-operations", "Maintain employee records", ("employee records",)),
    (
        "hr-generalist",
        "hr-operations",
        "Ensure confidentiality and compliance",
        ("confidentiality of employee information", "compliance with employment law"),
    ),
    ("hr-generalist", "hr-operations", "Conduct compliance audits", ("compliance audits",)),
    (
        "hr-generalist",
        "hr-operations",
        "Conduct audits on premium deductions in payroll",
        ("audits of benefit premium deductions in payroll",),
    ),
]
