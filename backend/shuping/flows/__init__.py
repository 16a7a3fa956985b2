"""Flows: one request that runs through several domains at once, all of it or nothing.

A flow sits above every domain it uses, so none of them has to import another for it: importing a
cycle (`cycle_import`) creates a rubric, the cycle with its groups, and its reports.
"""
