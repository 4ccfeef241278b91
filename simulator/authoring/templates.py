"""The annotated starter scenario `ttx new scenario` writes.

Kept as text rather than built from models so the comments explaining each key
survive; a test loads the result to prove it stays valid.
"""

from __future__ import annotations

import json

SCENARIO = """\
# yaml-language-server: $schema=__SCHEMA__
# A starter scenario written by `ttx new scenario`. Every key is explained in a
# comment; replace the story, keep the shape. Check it with `ttx validate FILE`,
# see its flow with `ttx graph FILE`, print a players' briefing with `ttx handout FILE`.

id: __ID__                      # lower-case id: letters, digits, '-' and '_'; shown in reports and journals
title: __TITLE__
summary: >-                     # one paragraph for the briefing; may use the variables below
  On a Monday morning {{ monitoring_tool }} shows an administrator signing in to
  {{ host }} at {{ company }} from an unknown address. Who acts, and who decides?
audience: any                   # msp | saas | any: which authority maps the story reads naturally with
duration_minutes: 45            # planned length of the exercise, for the facilitator

# Variables fill {{ name }} placeholders. Each is a Faker provider from the
# allow-list (see docs/authoring.md), optionally with prefix/suffix, or a
# {choice: [...]}. The session's seed makes the values reproducible.
variables:
  company: company
  host: {faker: hostname, prefix: "SRV-"}
  attacker_ip: ipv4_public
  on_call: name
  monitoring_tool: {choice: [the EDR console, the SIEM, the cloud audit log]}

# Steps run in file order. Consecutive stages must follow the stage order
# (detection, confirmation, containment, communication, investigation,
# documentation; skipping is fine) or an allowed move back.
steps:
  - id: first-alert             # unique step id; consequences jump to it with goto
    stage: detection
    title: An odd login         # optional short title
    clock: "09:12"              # in-scenario time: "HH:MM" or "Day N HH:MM"
    inject: >-                  # the story shown to the room
      A high-severity alert in {{ monitoring_tool }}: an administrator account signed
      in to {{ host }} from {{ attacker_ip }}, an address never seen before.
    artifacts:                  # evidence shown with the inject
      - kind: log               # log | alert | email | chat | phone | document | ticket | screenshot | news
        title: Sign-in log excerpt
        body: |
          09:11:58 LOGON  host={{ host }} user=admin src={{ attacker_ip }} result=success
          09:12:03 PRIV   host={{ host }} user=admin action=add-group-member group=Domain Admins
    facilitator_notes: >-       # for the facilitator only; never shown to players or in handouts
      A drilled team triages within minutes and checks whether the login matches a
      planned change before anyone touches the server.
    discussion:                 # open questions for the room, after the decisions
      - Who in your organisation watches this alert queue outside office hours?
    decisions:                  # "who acts?" questions; each names one responsibility
      - id: who-triages         # unique decision id
        ask: Who triages this alert right now?
        responsibility: detection.triage   # a catalogue id; the map says who owns it
        expect: responsible     # responsible: anyone in R or A is right; accountable: only the A
        weight: 2               # 1-10; critical decisions weigh more (default 1)
        time_limit_s: 120       # optional; running out of time records a gap
        on:                     # consequences fired per outcome: aligned | overlap | drift | gap
          gap: alert-sits
      - id: who-decides-real
        ask: Who decides whether this is a real incident or an admin working late?
        responsibility: detection.criteria

  - id: confirm
    stage: confirmation
    clock: "09:35"
    inject: >-
      {{ on_call }} finds the same account created a scheduled task on two more servers.
    decisions:
      - id: who-confirms
        ask: Who declares this an incident?
        responsibility: confirmation.confirm
        expect: accountable
        critical: true          # a gap here rates the whole stage "Unable"
      - id: who-sets-severity
        ask: Who sets the severity?
        responsibility: confirmation.severity

  - id: contain
    stage: containment
    clock: "09:50"
    inject: >-
      The scheduled task starts copying files from {{ host }} to {{ attacker_ip }}.
    decisions:
      - id: who-authorises
        ask: Who authorises taking {{ host }} off the network?
        responsibility: containment.authorize
        expect: accountable
        critical: true
        weight: 3
        on:
          drift: wrong-hands
      - id: who-isolates
        ask: Who isolates the server?
        responsibility: containment.isolate

  - id: tell-the-client
    stage: communication
    clock: "10:20"
    inject: >-
      A manager at {{ company }} calls: users cannot reach their shared files. What is going on?
    decisions:
      - id: who-answers
        ask: Who speaks to {{ company }} about the incident?
        responsibility: communication.contact
        expect: accountable

  - id: investigate
    stage: investigation
    clock: "11:00"
    inject: >-
      The copy has stopped. Nobody knows yet how the administrator password was obtained.
    decisions:
      - id: who-leads
        ask: Who leads the investigation?
        responsibility: investigation.lead
        expect: accountable
      - id: who-keeps-evidence
        ask: Who images {{ host }} before it is rebuilt?
        responsibility: investigation.evidence

  - id: write-up
    stage: documentation
    clock: "Day 2 09:00"
    inject: >-
      The data copied may include personal data. A regulator may need to be told.
    decisions:
      - id: who-notifies
        ask: Who decides whether to notify the regulator, and files it?
        responsibility: documentation.compliance
        expect: accountable

# Consequences fire right after the answer whose outcome names them, at most once
# per session. A goto takes effect after the step's remaining decisions; play
# then continues in file order from the target step.
consequences:
  alert-sits:
    title: Nobody picks it up     # optional, shown with the inject
    clock_advance: "00:40"        # "HH:MM" added to the scenario clock
    inject: >-
      Forty minutes pass. The account has now signed in to every file server.
    goto: contain                 # optional: jump to this step
  wrong-hands:
    inject: >-
      Someone pulls the wrong server's network cable; the accounting system goes down.
"""


def scenario_text(scenario_id: str, title: str, schema: str) -> str:
    # A JSON string is a valid YAML scalar and quotes whatever the title contains.
    return (
        SCENARIO.replace("__SCHEMA__", schema)
        .replace("__ID__", scenario_id)
        .replace("__TITLE__", json.dumps(title, ensure_ascii=False))
    )
