#!/usr/bin/env python3
"""Writes a generated "later snapshot" of a Markdown corpus in which every provision's text has changed, for scale
measurements of versioned stores only (issue 14: "all German federal law with every provision given a second version").

Each file matching --include under SRC is copied to the same relative path under DEST; in it, the first line of text
after every heading (below the front matter) gets a marker sentence appended, so every provision with text reads
differently and a snapshot ingest (`legalrag ingest DEST --corpus NAME --as-of DAY`) gives it a second version.
The generated folder is test data for timing, never a corpus: its texts are not law. It is written outside the
repository (a /tmp folder), never committed.

Usage: tools/generate-snapshot.py SRC DEST [--include '*/*/index.md'] [--marker TEXT]
"""
import argparse
import pathlib
import sys


def revise(text, marker):
    lines = text.split("\n")
    out = []
    i = 0
    # Front matter stays as it is: it names the act, and a changed name would make another act.
    if lines and lines[0].strip() == "---":
        end = next((j for j in range(1, len(lines)) if lines[j].strip() == "---"), None)
        if end is not None:
            out.extend(lines[: end + 1])
            i = end + 1
    pending = False  # after a provision's heading, before its first paragraph
    inside = False  # in that first paragraph, whose end gets the marker (so no sentence is cut)
    changed = 0
    for line in lines[i:] + [""]:
        stripped = line.strip()
        if inside and (not stripped or stripped.startswith("#")):
            out[-1] = out[-1].rstrip() + " " + marker
            inside = False
            changed += 1
        if stripped.startswith("#"):
            # The act's title (level 1) is not a provision; every lower heading starts one.
            pending = not stripped.startswith("# ")
        elif pending and stripped:
            pending = False
            inside = True
        out.append(line)
    return "\n".join(out[:-1]), changed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("src", type=pathlib.Path)
    parser.add_argument("dest", type=pathlib.Path)
    parser.add_argument("--include", default="*/*/index.md")
    parser.add_argument("--marker", default="(Generierte Fassung für Messungen.)")
    args = parser.parse_args()
    if not args.src.is_dir():
        sys.exit(f"generate-snapshot: {args.src} is not a folder")
    if args.dest.resolve() == args.src.resolve() or args.src.resolve() in args.dest.resolve().parents:
        sys.exit("generate-snapshot: DEST must lie outside SRC")
    files = sorted(args.src.glob(args.include))
    if not files:
        sys.exit(f"generate-snapshot: no file under {args.src} matches {args.include}")
    total = 0
    failed = 0
    for n, path in enumerate(files, 1):
        rel = path.relative_to(args.src)
        try:
            text, changed = revise(path.read_text(encoding="utf-8"), args.marker)
        except (OSError, UnicodeDecodeError) as e:
            print(f"generate-snapshot: skipped {path}: {e}", file=sys.stderr)
            failed += 1
            continue
        target = args.dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        total += changed
        if n % 1000 == 0:
            print(f"{n}/{len(files)} files, {total} texts changed", file=sys.stderr)
    print(f"{len(files) - failed} files written to {args.dest}, {total} provision texts changed, {failed} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
