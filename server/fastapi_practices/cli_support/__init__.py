"""The command line's plumbing: finding files, running the engine on them, printing results.

Nothing here knows a rule: findings come from `engine.analyze`, fixes from `fixes.fix_all`.
"""
