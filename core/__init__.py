"""Blender-free core of Gotcha Doctor.

Nothing in this package imports ``bpy``: findings, topics, the scan engine, report building and text/path
helpers are plain Python so they can be tested (and reused by tools) without Blender.
"""
