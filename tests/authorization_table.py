# ruff: noqa: E501  (one operation per line keeps the table readable)
"""Who may call each operation: the authorization matrix's expected answers (DESIGN §8).

One row per operation of the OpenAPI document; eleven cells per row, one per principal in the
order of `PRINCIPALS`. A cell is `own/foreign` — the answer on an object of the principal's own
organisation or cycle, and on one of another — or a single answer for both. Answers: `ok` (let in;
the request may still fail on its body or state: 400, 409, 413, 422), `401`, `403`, `404`.
README.md shows this table rendered by `render_markdown` (tests/test_authorization.py checks it).
"""

from __future__ import annotations

PRINCIPALS = (
    "admin",
    "county_clerk",
    "township_clerk",
    "leader",
    "deputy",
    "member",
    "township_secretary",
    "other_secretary",
    "village_secretary",
    "integration",
    "anonymous",
)

HEADINGS = (
    "admin",
    "county clerk",
    "township clerk",
    "leader",
    "deputy",
    "member",
    "township secretary",
    "other township's secretary",
    "village secretary",
    "integration",
    "anonymous",
)

ROWS = """
# operation                                                        admin  cclerk tclerk  leader deputy member  tsec   osec   vsec    integ  anon
GET /api/v1/audit                                                  ok     403    403     403    403    403     403    403    403     403    401
GET /api/v1/audit/verify                                           ok     403    403     403    403    403     403    403    403     403    401
GET /api/v1/auth/me                                                ok     ok     ok      ok     ok     ok      ok     ok     ok      ok     401
POST /api/v1/auth/password                                         ok     ok     ok      ok     ok     ok      ok     ok     ok      ok     401
POST /api/v1/auth/refresh                                          ok     ok     ok      ok     ok     ok      ok     ok     ok      ok     ok
POST /api/v1/auth/token                                            ok     ok     ok      ok     ok     ok      ok     ok     ok      ok     ok
GET /api/v1/cycles                                                 ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
POST /api/v1/cycles                                                ok     ok     ok      403    403    403     403    403    403     403    401
POST /api/v1/cycles/import                                         ok     ok     ok      403    403    403     403    403    403     403    401
GET /api/v1/cycles/import/error-sheets/{token}                     ok/404 ok/404 ok/404  403    403    403     403    403    403     403    401
POST /api/v1/cycles/import/excel                                   ok     ok     ok      403    403    403     403    403    403     403    401
GET /api/v1/cycles/import/template                                 ok     ok     ok      403    403    403     403    403    403     403    401
GET /api/v1/cycles/{cycle_id}                                      ok     ok     ok/403  ok/403 ok/403 ok/403  ok     ok     ok/403  403    401
PATCH /api/v1/cycles/{cycle_id}                                    ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/cycles/{cycle_id}/advance                             ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/cycles/{cycle_id}/candidates                           ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/cycles/{cycle_id}/gate                                 ok     ok     ok/403  ok/403 ok/403 ok/403  ok     ok     ok/403  403    401
GET /api/v1/cycles/{cycle_id}/groups                               ok     ok     ok/403  ok/403 ok/403 ok/403  ok     ok     ok/403  403    401
PUT /api/v1/cycles/{cycle_id}/groups                               ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/cycles/{cycle_id}/groups/{key}/members                 ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/cycles/{cycle_id}/groups/{key}/members                ok     ok/403 ok/403  403    403    403     403    403    403     403    401
DELETE /api/v1/cycles/{cycle_id}/groups/{key}/members/{user_id}    ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/cycles/{cycle_id}/interviews                           ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/cycles/{cycle_id}/interviews                          ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/cycles/{cycle_id}/meetings                             ok     ok     ok/403  ok/403 ok/403 ok/403  ok     ok     ok/403  403    401
POST /api/v1/cycles/{cycle_id}/meetings                            ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/cycles/{cycle_id}/members                              ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/cycles/{cycle_id}/notices                             ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/cycles/{cycle_id}/notices/batch                       ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/cycles/{cycle_id}/opinions                             ok     ok     ok      ok     403    403     ok     ok     ok/403  403    401
POST /api/v1/cycles/{cycle_id}/opinions                            ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/cycles/{cycle_id}/opinions/from-ballots               ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/cycles/{cycle_id}/opinions/imports                    ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/cycles/{cycle_id}/opinions/imports/template            ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/cycles/{cycle_id}/opinions/imports/{import_id}/errors  ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/cycles/{cycle_id}/reports                             ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/cycles/{cycle_id}/results                              ok/404 ok/404 404/403 ok/403 ok/403 404/403 ok     ok     404/403 403    401
GET /api/v1/cycles/{cycle_id}/results.xlsx                         ok/404 ok/404 404/403 ok/403 ok/403 404/403 ok     ok     404/403 403    401
GET /api/v1/cycles/{cycle_id}/results/bulletin.docx                ok     ok     ok/403  ok/403 ok/403 ok/403  ok     ok     ok/403  403    401
POST /api/v1/cycles/{cycle_id}/results/compute                     ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/cycles/{cycle_id}/results/item-averages                ok/404 ok/404 404/403 ok/403 ok/403 404/403 ok     ok     404/403 403    401
POST /api/v1/cycles/{cycle_id}/results/publish                     ok     403    403     403    403    403     403    403    403     403    401
POST /api/v1/cycles/{cycle_id}/results/reopen                      ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/cycles/{cycle_id}/results/{report_id}/explain          ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/cycles/{cycle_id}/revert                              ok     403    403     403    403    403     403    403    403     403    401
GET /api/v1/health                                                 ok     ok     ok      ok     ok     ok      ok     ok     ok      ok     ok
GET /api/v1/home/todo                                              ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
POST /api/v1/integrations/sunshine/cases                           401    401    401     401    401    401     401    401    401     401    401
GET /api/v1/interviews/{interview_id}/document                     ok     ok/403 ok/404  403/404 403/404 403/404 403    403    403/404 403    401
GET /api/v1/ledger/followup                                        ok     ok     ok/403  ok     403    403     ok/403 ok/403 ok/403  403    401
GET /api/v1/ledger/followup.docx                                   ok     ok     ok/403  ok     403    403     ok/403 ok/403 ok/403  403    401
GET /api/v1/ledger/duplicates                                      ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/ledger/items                                           ok     ok     ok      ok     403    403     ok     ok     ok      403    401
GET /api/v1/ledger/items.csv                                       ok     ok     ok      ok     403    403     ok     ok     ok      403    401
GET /api/v1/ledger/items.xlsx                                      ok     ok     ok      ok     403    403     ok     ok     ok      403    401
POST /api/v1/ledger/items/batch/transitions                        ok     ok/403 ok/404  403    403    403     ok/404 ok/404 ok/404  403    401
GET /api/v1/ledger/items/{item_id}                                 ok     ok     ok/404  ok     403    403     ok/404 ok/404 ok/404  403    401
PATCH /api/v1/ledger/items/{item_id}                               ok     ok/403 ok/404  403    403    403     ok/404 ok/404 ok/404  403    401
POST /api/v1/ledger/items/{item_id}/evidence                       ok     ok/403 ok/404  403    403    403     ok/404 ok/404 ok/404  403    401
DELETE /api/v1/ledger/items/{item_id}/evidence/{evidence_id}       ok     ok/403 ok/404  403    403    403     ok/404 ok/404 ok/404  403    401
GET /api/v1/ledger/items/{item_id}/evidence/{evidence_id}          ok     ok     ok/404  ok     403    403     ok/404 ok/404 ok/404  403    401
POST /api/v1/ledger/items/{item_id}/merge                          ok     ok/403 ok/404  403    403    403     403    403    403     403    401
GET /api/v1/ledger/items/{item_id}/notes                           ok     ok     ok/404  ok     403    403     ok/404 ok/404 ok/404  403    401
POST /api/v1/ledger/items/{item_id}/notes                          ok     ok/403 ok/404  403    403    403     ok/404 ok/404 ok/404  403    401
PUT /api/v1/ledger/items/{item_id}/publicity                       ok     ok/403 ok/404  403    403    403     403    403    403     403    401
POST /api/v1/ledger/items/{item_id}/transitions                    ok     ok/403 ok/404  403    403    403     ok/404 ok/404 ok/404  403    401
GET /api/v1/ledger/reminders                                       ok     ok     ok      ok     403    403     ok     ok     ok      403    401
GET /api/v1/ledger/stats                                           ok     ok     ok      ok     403    403     ok     ok     ok      403    401
GET /api/v1/ledger/unfiled-opinions                                ok     ok     ok      403    403    403     403    403    403     403    401
GET /api/v1/meetings/{meeting_id}                                  ok     ok     ok/403  ok/403 ok/403 ok/403  ok     ok     ok/403  403    401
POST /api/v1/meetings/{meeting_id}/ballots                         403    403    403     ok/403 ok/403 ok/403  403    403    403     403    401
POST /api/v1/meetings/{meeting_id}/end                             ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/meetings/{meeting_id}/events                           ok     ok     ok/403  ok/403 ok/403 ok/403  ok     ok     ok/403  403    401
GET /api/v1/meetings/{meeting_id}/paper-ballots/form              ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/meetings/{meeting_id}/paper-ballots                   ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/meetings/{meeting_id}/paper-ballots/commit            ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/meetings/{meeting_id}/paper-ballots/import            ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/meetings/{meeting_id}/paper-ballots/reconciliation     ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/meetings/{meeting_id}/reports/{report_id}/voting      ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/meetings/{meeting_id}/reveal                          ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/meetings/{meeting_id}/speaker                         ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/meetings/{meeting_id}/start                           ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/meetings/{meeting_id}/tally                            ok     ok     ok/403  ok/403 ok/403 ok/403  ok     ok     ok/403  403    401
GET /api/v1/meetings/{meeting_id}/tokens                           ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/meetings/{meeting_id}/tokens                          ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/meetings/{meeting_id}/tokens/revoke                   ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/notices                                                ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
GET /api/v1/notices/{notice_id}                                    ok     ok     ok/404  404    404    404     ok/404 ok/404 ok/404  403    401
POST /api/v1/notices/{notice_id}/acknowledge                       403    403    403/404 404    404    404     ok/404 ok/404 ok/404  403    401
GET /api/v1/notices/{notice_id}/document                           ok     ok     ok/404  404    404    404     ok/404 ok/404 ok/404  403    401
GET /api/v1/orgs                                                   ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
POST /api/v1/orgs                                                  ok     403    403     403    403    403     403    403    403     403    401
GET /api/v1/orgs/{org_id}                                          ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
PATCH /api/v1/orgs/{org_id}                                        ok     403    403     403    403    403     403    403    403     403    401
GET /api/v1/orgs/{org_id}/results-history                          ok     ok     ok/403  403    403    ok/403  ok/403 ok/403 ok/403  403    401
GET /api/v1/petitions/appointments                                 ok     ok     ok      ok     403    403     ok     ok     ok      403    401
PATCH /api/v1/petitions/appointments/{appointment_id}              ok     ok     ok/404  403    403    403     403    403    403     403    401
GET /api/v1/petitions/cases                                        ok     ok     ok      ok     403    403     ok     ok     ok      403    401
POST /api/v1/petitions/cases                                       ok     ok     ok/403  403    403    403     403    403    403     403    401
GET /api/v1/petitions/cases/export                                 ok     ok     ok      403    403    403     403    403    403     403    401
GET /api/v1/petitions/cases/{case_id}                              ok     ok     ok/404  ok     403    403     ok/404 ok/404 404     403    401
POST /api/v1/petitions/cases/{case_id}/appointments                ok     ok     ok/404  403    403    403     403    403    403     403    401
POST /api/v1/petitions/cases/{case_id}/extension                   ok     ok     ok/404  403    403    403     403    403    403     403    401
POST /api/v1/petitions/cases/{case_id}/transitions                 ok     ok     ok/404  403    403    403     403    403    403     403    401
POST /api/v1/petitions/imports                                     ok     ok     403     403    403    403     403    403    403     403    401
GET /api/v1/petitions/imports/{run_id}/errors                      ok     ok     403     403    403    403     403    403    403     403    401
GET /api/v1/petitions/leaders                                      ok     ok     ok      403    403    403     403    403    403     403    401
GET /api/v1/petitions/stats                                        ok     ok     ok      ok     403    403     ok     ok     ok      403    401
POST /api/v1/petitions/stats/snapshots                             ok     ok/403 403     403    403    403     403    403    403     403    401
GET /api/v1/petitions/stats/snapshots/{cycle_id}                   ok/404 ok/403 403     403    403    403     403    403    403     403    401
POST /api/v1/petitions/sync/pull                                   ok     403    403     403    403    403     403    403    403     ok     401
GET /api/v1/petitions/sync/runs                                    ok     ok     403     403    403    403     403    403    403     ok     401
GET /api/v1/public/ledger-board                                    ok/404 ok/404 404     ok/404 ok/404 404     ok     ok     404     ok/404 ok/404
GET /api/v1/public/target-board                                    404    404    404     404    404    404     404    404    404     404    404
GET /api/v1/ready                                                  ok     ok     ok      ok     ok     ok      ok     ok     ok      ok     ok
GET /api/v1/reports                                                ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
POST /api/v1/reports/batch/accept                                  ok     ok/403 ok/403  403    403    403     403    403    403     403    401
DELETE /api/v1/reports/{report_id}                                 ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/reports/{report_id}                                    ok     ok     ok/403  ok/403 ok/403 ok/403  ok/403 ok/403 ok/403  403    401
PATCH /api/v1/reports/{report_id}                                  ok     ok/403 ok/403  403    403    403     ok/403 ok/403 ok/403  403    401
POST /api/v1/reports/{report_id}/accept                            ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/reports/{report_id}/assessment                         ok     ok/403 ok/403  403    403    403     403    403    403     403    401
PUT /api/v1/reports/{report_id}/assessment                         ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/reports/{report_id}/attachments                       403    403    403     403    403    403     ok/403 ok/403 ok/403  403    401
DELETE /api/v1/reports/{report_id}/attachments/{attachment_id}     403    403    403     403    403    403     ok/403 ok/403 ok/403  403    401
GET /api/v1/reports/{report_id}/attachments/{attachment_id}        ok     ok     ok/403  ok/403 ok/403 ok/403  ok/403 ok/403 ok/403  403    401
POST /api/v1/reports/{report_id}/document                          403    403    403     403    403    403     ok/403 ok/403 ok/403  403    401
POST /api/v1/reports/{report_id}/return                            ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/reports/{report_id}/submit                            403    403    403     403    403    403     ok/403 ok/403 ok/403  403    401
GET /api/v1/results/flagged-twice                                  ok     ok     ok      403    403    403     403    403    403     403    401
GET /api/v1/rubrics                                                ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
POST /api/v1/rubrics                                               ok     ok     ok      403    403    403     403    403    403     403    401
GET /api/v1/rubrics/formulas                                       ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
GET /api/v1/rubrics/veto-facts                                     ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
GET /api/v1/rubrics/{rubric_id}                                    ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
PUT /api/v1/rubrics/{rubric_id}                                    ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/targets/bulletins/{bulletin_id}                        ok     ok/404 ok/404  404    404    404     404    404    404     403    401
DELETE /api/v1/targets/bulletins/{bulletin_id}                     ok     ok/404 ok/404  404    404    404     404    404    404     403    401
GET /api/v1/targets/bulletins/{bulletin_id}/document.docx          ok     ok/404 ok/404  404    404    404     404    404    404     403    401
POST /api/v1/targets/bulletins/{bulletin_id}/publish               ok     ok/404 ok/404  404    404    404     404    404    404     403    401
GET /api/v1/targets/bulletins/{bulletin_id}/sheet.xlsx             ok     ok/404 ok/404  404    404    404     404    404    404     403    401
POST /api/v1/targets/bulletins/{bulletin_id}/withdraw              ok     ok/404 ok/404  404    404    404     404    404    404     403    401
GET /api/v1/targets/programmes                                     ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
POST /api/v1/targets/programmes                                    ok     403    403     403    403    403     403    403    403     403    401
DELETE /api/v1/targets/programmes/{programme_id}                   ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/targets/programmes/{programme_id}                      ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
PATCH /api/v1/targets/programmes/{programme_id}                    ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/targets/programmes/{programme_id}/bulletins            ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
POST /api/v1/targets/programmes/{programme_id}/bulletins           ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/targets/programmes/{programme_id}/completion           ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
GET /api/v1/targets/programmes/{programme_id}/findings             ok     ok     ok      ok     403    403     ok     ok     ok      403    401
GET /api/v1/targets/programmes/{programme_id}/measures             ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
POST /api/v1/targets/programmes/{programme_id}/measures            ok     ok/403 ok/403  403    403    403     403    403    403     403    401
DELETE /api/v1/targets/programmes/{programme_id}/measures/{measure_id} ok ok/403 ok/403  403    403    403     403    403    403     403    401
PATCH /api/v1/targets/programmes/{programme_id}/measures/{measure_id} ok  ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/targets/programmes/{programme_id}/monthly-reports      ok     ok     ok      ok     403    403     ok     ok     ok      403    401
POST /api/v1/targets/programmes/{programme_id}/monthly-reports     ok     ok     ok/403  403    403    403     ok/403 ok/403 ok/403  403    401
GET /api/v1/targets/programmes/{programme_id}/monthly-reports/missing ok  ok     ok      ok     403    403     ok     ok     ok      403    401
GET /api/v1/targets/programmes/{programme_id}/projects             ok     ok     ok      403    403    403     ok     ok     ok      403    401
POST /api/v1/targets/programmes/{programme_id}/projects            ok     ok     ok/403  403    403    403     ok/403 ok/403 ok/403  403    401
POST /api/v1/targets/programmes/{programme_id}/projects/import     ok     ok     ok      403    403    403     ok     ok     ok      403    401
GET /api/v1/targets/programmes/{programme_id}/projects/import/template ok ok   ok      403    403    403     ok     ok     ok      403    401
GET /api/v1/targets/programmes/{programme_id}/supervision-rounds  ok     ok     ok      ok     403    403     ok     ok     ok      403    401
POST /api/v1/targets/programmes/{programme_id}/supervision-rounds ok     ok/403 ok/403  ok/403 403    403     403    403    403     403    401
GET /api/v1/targets/programmes/{programme_id}/targets              ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
PUT /api/v1/targets/programmes/{programme_id}/targets              ok     ok/403 ok/403  403    403    403     403    403    403     403    401
POST /api/v1/targets/programmes/{programme_id}/targets/import      ok     ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/targets/programmes/{programme_id}/targets/import/template ok ok/403 ok/403  403    403    403     403    403    403     403    401
GET /api/v1/targets/programmes/{programme_id}/teams                ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
POST /api/v1/targets/programmes/{programme_id}/teams               ok     ok/403 ok/403  403    403    403     403    403    403     403    401
DELETE /api/v1/targets/programmes/{programme_id}/teams/{team_id}   ok     ok/403 ok/403  403    403    403     403    403    403     403    401
PATCH /api/v1/targets/programmes/{programme_id}/teams/{team_id}    ok     ok/403 ok/403  403    403    403     403    403    403     403    401
DELETE /api/v1/targets/findings/{finding_id}                       ok     ok/403 ok/404  ok/404 403    403     403/404 403/404 403/404 403 401
GET /api/v1/targets/findings/{finding_id}                          ok     ok     ok/404  ok/404 403    403     ok/404 ok/404 ok/404  403    401
PATCH /api/v1/targets/findings/{finding_id}                        ok     ok/403 ok/404  ok/404 403    403     403/404 403/404 403/404 403 401
GET /api/v1/targets/monthly-reports/{monthly_report_id}            ok     ok     ok/404  ok/404 403    403     ok/404 ok/404 ok/404  403    401
DELETE /api/v1/targets/supervision-rounds/{round_id}               ok     ok/403 ok/403  ok/403 403    403     403    403    403     403    401
GET /api/v1/targets/supervision-rounds/{round_id}                  ok     ok     ok      ok     403    403     ok     ok     ok      403    401
PATCH /api/v1/targets/supervision-rounds/{round_id}                ok     ok/403 ok/403  ok/403 403    403     403    403    403     403    401
POST /api/v1/targets/supervision-rounds/{round_id}/findings        ok     ok/403 ok/403  ok/403 403    403     403    403    403     403    401
GET /api/v1/targets/projects/{project_id}                          ok     ok     ok/404  403    403    403     ok/404 ok/404 ok/404  403    401
PATCH /api/v1/targets/projects/{project_id}                        ok     ok     ok/404  403    403    403     ok/404 ok/404 ok/404  403    401
POST /api/v1/targets/projects/{project_id}/stage                   ok     ok     ok/404  403    403    403     ok/404 ok/404 ok/404  403    401
GET /api/v1/users                                                  ok     403    403     403    403    403     403    403    403     403    401
POST /api/v1/users                                                 ok     403    403     403    403    403     403    403    403     403    401
GET /api/v1/users/{user_id}                                        ok     403    403     403    403    403     403    403    403     403    401
PATCH /api/v1/users/{user_id}                                      ok     403    403     403    403    403     403    403    403     403    401
GET /api/v1/vote/form                                              ok     ok     ok      ok     ok     ok      ok     ok     ok      ok     401
GET /api/v1/vote/meetings                                          ok     ok     ok      ok     ok     ok      ok     ok     ok      403    401
"""

# An operation is "METHOD path"; the eleven cells after it are the row.
TABLE: dict[str, str] = {
    " ".join(line.split()[:2]): " ".join(line.split()[2:])
    for line in ROWS.splitlines()
    if line.strip() and not line.startswith("#")
}


def parse_row(row: str) -> dict[str, tuple[str, str]]:
    cells = row.split()
    assert len(cells) == len(PRINCIPALS), row
    out = {}
    for principal, cell in zip(PRINCIPALS, cells, strict=True):
        own, _, foreign = cell.partition("/")
        out[principal] = (own, foreign or own)
    return out


def row_text(answers: dict[str, tuple[str, str]]) -> str:
    return " ".join(own if own == foreign else f"{own}/{foreign}" for own, foreign in (answers[p] for p in PRINCIPALS))


def render_markdown() -> str:
    def cell(own: str, foreign: str) -> str:
        mark = {"ok": "✓"}
        return mark.get(own, own) if own == foreign else f"{mark.get(own, own)} / {mark.get(foreign, foreign)}"

    lines = ["| operation | " + " | ".join(HEADINGS) + " |", "|---" * (len(HEADINGS) + 1) + "|"]
    for op in sorted(TABLE, key=lambda o: (o.split(" ", 1)[1], o)):
        answers = parse_row(TABLE[op])
        lines.append(f"| `{op}` | " + " | ".join(cell(*answers[p]) for p in PRINCIPALS) + " |")
    return "\n".join(lines) + "\n"
