"""The poll explainer's Blender-free half: parsing what the user typed (parse), editors and modes in words (words),
the setup-step vocabulary (steps), recipes and their snippets (recipe), the recipe library the sweep tries
(library), knowledge-base files (kb), the sweep that builds them in child processes (sweep) and the explanation's
wording (compose).

No module here imports ``bpy`` or anything outside this package, so child processes and tools load it by path
(``load_by_path`` in poll_worker.py) and the unit tier tests it without Blender.
"""
