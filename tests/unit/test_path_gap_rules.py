"""The path rules for what Blender reads without a path spelling it out: cache-file sequences frame by frame and
point caches baked to disk (on real folders; the same with real Blender files: tests/blender/test_path_gaps.py)."""

from gotcha_doctor.core.path_rules import DIR, FILE, PathRef, Resolver, evaluate


def ref(raw, base, **extra):
    fields = {"variant": "sequence", "consequence": "then nothing moves"} | extra
    return PathRef("CACHEFILE", "seq.abc", None, base, "filepath", "cache file", raw, FILE, **fields)


def test_every_frame_from_the_stored_one_to_the_last_on_disk(tmp_path):
    base = str(tmp_path / "shot.blend")
    for frame in (2, 3, 5):
        (tmp_path / f"seq_{frame:04d}.abc").write_bytes(b"x")
    (finding,) = evaluate(ref("//seq_0001.abc", base), Resolver(base, str(tmp_path)), {})
    assert finding.details["missing_frames"] == [1, 4] and finding.details["missing_frame_count"] == 2
    assert finding.message == (
        f'Cache file "//seq_0001.abc": 2 frame(s) of the sequence {tmp_path}/seq_0001.abc are missing '
        "(1, 4; 3 on disk); then nothing moves"
    )
    (tmp_path / "seq_0001.abc").write_bytes(b"x")
    (tmp_path / "seq_0004.abc").write_bytes(b"x")
    assert list(evaluate(ref("//seq_0001.abc", base), Resolver(base, str(tmp_path)), {})) == []
    (nothing,) = evaluate(ref("//none_0001.abc", base), Resolver(base, str(tmp_path)), {})
    assert "no frame of the sequence" in nothing.message


def test_a_point_cache_needs_its_folder_and_its_own_files(tmp_path):
    base = str(tmp_path / "fx.blend")
    cache = PathRef(
        "OBJECT", "Emitter", None, base, "particle_systems[\"P\"].point_cache", "point cache (baked to disk)",
        "//blendcache_fx/", DIR, variant="point_cache", elements=("456D",), consequence="it stays at rest",
    )  # fmt: skip
    (missing,) = evaluate(cache, Resolver(base, str(tmp_path)), {})
    assert missing.details["cache_files_found"] == 0 and missing.fixes == ()
    (tmp_path / "blendcache_fx").mkdir()
    (tmp_path / "blendcache_fx" / "OTHER_000001_00.bphys").write_bytes(b"x")  # another object's frames only
    assert len(list(evaluate(cache, Resolver(base, str(tmp_path)), {}))) == 1
    (tmp_path / "blendcache_fx" / "456D_000001_00.bphys").write_bytes(b"x")
    assert list(evaluate(cache, Resolver(base, str(tmp_path)), {})) == []
