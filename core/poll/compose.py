"""The explanation's one paragraph, composed from what was observed (Blender-free).

Each sentence comes from one fact: whether and how poll was asked here, Blender's own message, this window's areas
where poll passed, the requirements of a passing context that was observed (never a guess), what the context has
instead, and where the answer came from. Nothing here reads its own earlier wording to decide what to say.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .words import join_words

# How (or why not) poll was asked in this session.
POLLED_HERE = "polled"  # poll() was called here
NOT_IN_SAFETY_MAP = "not_in_safety_map"  # this editor/region was never polled safely elsewhere first
RECORDED_CRASHER = "crasher"  # poll() crashed a sweep or child process: never called here
NOT_POLLED = "not_polled"  # no knowledge base entry and no child probe

# Where the passing context comes from.
FROM_KB = "kb"
FROM_DEFAULT = "default"  # poll passed in the default context of a fresh session (no requirement observed)
FROM_CHILD = "child"


@dataclass
class Facts:
    idname: str
    poll_here: bool | None
    polled: str  # one of the POLLED_HERE ... constants
    source: str  # where the answer comes from, in words, e.g. "the knowledge base of Blender 4.5.15"
    blender_message: str | None = None
    passing_editors: list[str] = field(default_factory=list)  # this window's editors where poll passed (words)
    passing_from: str | None = None  # FROM_KB / FROM_DEFAULT / FROM_CHILD, None: no passing context known
    needs: list[str] = field(default_factory=list)  # requirements observed (each was needed in the passing context)
    needs_observed: bool = True  # False: a child's passing context that could not be minimized in time
    have: list[str] = field(default_factory=list)  # what this context has instead of an unmet requirement
    editor_elsewhere: str | None = None  # "this window has a Dope Sheet open, but the call runs in ..."
    why_unknown: str | None = None
    warnings: list[str] = field(default_factory=list)
    exact_kb: bool = True  # the answer comes from a knowledge base of exactly this Blender version


def head(facts: Facts) -> str:
    op = f"bpy.ops.{facts.idname}"
    if facts.poll_here is True:
        return f"{op}: poll() passes here"
    if facts.poll_here is False:
        return f"{op}: poll() fails here"
    why = {
        RECORDED_CRASHER: "a recorded crasher",
        NOT_IN_SAFETY_MAP: "this editor was never polled safely elsewhere first",
        NOT_POLLED: "no knowledge base entry for it",
    }.get(facts.polled, facts.polled)
    return f"{op}: not polled here ({why})"


def requirement_sentence(facts: Facts) -> str | None:
    if facts.passing_from == FROM_DEFAULT:
        text = "it passed in the default context of a fresh session (factory startup, no override)"
        if facts.poll_here is False and facts.have:
            text += f"; here, {'; '.join(facts.have)}"
        return text
    if not facts.needs:
        return None
    if facts.needs_observed:
        text = f"needs {join_words(facts.needs)}"
    else:
        text = f"passed in a child process with {join_words(facts.needs)} (not narrowed down: each may not be needed)"
    unmet = list(facts.have)
    if facts.editor_elsewhere and not facts.passing_editors:  # with passing editors, that sentence says it better
        unmet.insert(0, facts.editor_elsewhere)
    if unmet and facts.poll_here is not True:
        text += f"; {'; '.join(unmet)}"
    return text


def compose_message(facts: Facts) -> str:
    parts = [head(facts)]
    if facts.blender_message:
        parts.append(f"Blender says: {facts.blender_message}")
    if facts.passing_editors and facts.poll_here is not True:
        parts.append(f"it passes in this window's {', '.join(facts.passing_editors)} (pass that area to temp_override)")
    requirement = requirement_sentence(facts)
    if requirement:
        parts.append(requirement)
    if facts.passing_from is None:
        parts.append(f"no verified passing context is known ({facts.why_unknown or 'not in the knowledge base'})")
    if not facts.exact_kb:
        parts.append(f"source: {facts.source}")
    if facts.warnings:
        parts.append("Warning: " + facts.warnings[0])
    return ". ".join(parts[:1] + [part[:1].upper() + part[1:] for part in parts[1:]]) + "."
