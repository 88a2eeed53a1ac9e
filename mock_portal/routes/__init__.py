"""One router per portal area; `mock_portal.app` includes them.

Route functions and their dependencies are `async def`: the SQLite state belongs to the event
loop's thread (a plain `def` route would run in a worker thread and be refused by sqlite3).
"""
