"""The scoring rules of DESIGN §3, pure: a ballot's points, a group's mean (trimmed where the cycle
says so), the weighted total, tiers by threshold or quota, withholding small groups.

Low in the order of domains: it imports the cycles' and rubrics' models only (to read a rubric, a
group and a cycle's grading into its own plain structures, `inputs`), so meetings (a ballot's
score, the live tally), reports and results all score the same way without importing each other.
"""
