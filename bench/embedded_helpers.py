"""How useful is the embedded SmolLM2-135M for each learning helper? A quick, honest check.

Asks the bundled model (llama.cpp, as services/llm/local_backend.py runs it) a handful of helper
tasks: feedback as JSON (rung A) and as a plain rewrite (rung C), translation into Korean, word
glosses, next-line hints and an explanation. The answers are read by a person; the verdict and the
answers seen are in bench/EMBEDDED_HELPERS.md. Run: `.venv/bin/python -m bench.embedded_helpers`.
"""

import time

from llama_cpp import Llama

from services.llm.local_backend import find_embedded_model

llm = Llama(model_path=str(find_embedded_model()), n_ctx=2048, n_threads=1, verbose=False)


def ask(system, user, fmt=None, max_tokens=120):
    opts = dict(max_tokens=max_tokens, temperature=0.2, stop=['<|im_end|>', '<|im_start|>'])
    if fmt:
        opts['response_format'] = fmt
    t = time.time()
    r = llm.create_chat_completion(
        messages=[{'role': 'system', 'content': system}, {'role': 'user', 'content': user}], **opts
    )
    return r['choices'][0]['message']['content'], round(time.time() - t, 1)


sents = [
    'I goes to school yesterday.',
    'She have two cat.',
    'I am agree with you.',
    "He don't like coffee.",
    'I want to buy a apple.',
    'Yesterday I eat pizza with my friend.',
]
print('== C rewrite')
for s in sents:
    print(
        s,
        '->',
        ask(
            "TASK: turn_feedback\nRewrite the learner's English sentence with the fewest changes that make it correct. Output only the sentence.",
            s,
            max_tokens=40,
        ),
    )
print('== A json feedback')
schema = {
    'type': 'object',
    'properties': {'has_errors': {'type': 'boolean'}, 'corrected': {'type': 'string'}},
    'required': ['has_errors', 'corrected'],
}
for s in sents[:3]:
    print(
        s,
        '->',
        ask(
            'TASK: turn_feedback\nFind grammar mistakes in the learner sentence. Answer JSON.',
            s,
            {'type': 'json_object', 'schema': schema},
            80,
        ),
    )
print('== translate ko')
for s in [
    'Hello! What would you like to drink?',
    'Your flight leaves at nine.',
    'How long have you had a fever?',
]:
    print(
        s,
        '->',
        ask(
            'TASK: translate\nTranslate the text into Korean. Output only the translation.', s, max_tokens=60
        ),
    )
print('== gloss')
gs = {
    'type': 'object',
    'properties': {
        'lemma': {'type': 'string'},
        'pos': {'type': 'string'},
        'meaning': {'type': 'string'},
        'note': {'type': 'string'},
    },
    'required': ['lemma', 'pos', 'meaning', 'note'],
}
for w, c in [
    ('leaves', 'Your flight leaves at nine.'),
    ('fever', 'How long have you had a fever?'),
    ('latte', 'One latte, please.'),
]:
    print(
        w,
        '->',
        ask(
            'TASK: word_gloss\nGive the dictionary form, part of speech and meaning in Korean of the word as used in the sentence. Answer JSON.',
            f'Word: {w}\nSentence: {c}',
            {'type': 'json_object', 'schema': gs},
            80,
        ),
    )
print('== hints')
hs = {
    'type': 'object',
    'properties': {
        'idea': {'type': 'string'},
        'keywords': {'type': 'array', 'items': {'type': 'string'}},
        'lines': {
            'type': 'array',
            'items': {
                'type': 'object',
                'properties': {'text': {'type': 'string'}, 'gloss': {'type': 'string'}},
                'required': ['text', 'gloss'],
            },
        },
    },
    'required': ['idea', 'keywords', 'lines'],
}
print(
    ask(
        'TASK: next_line_hints\nYou help a learner (customer at a cafe) say their next line in English. Suggest 3 short lines. Answer JSON.',
        'Barista: Hello! What would you like to drink?',
        {'type': 'json_object', 'schema': hs},
        150,
    )
)
print('== explain')
print(
    ask(
        'TASK: explain\nExplain in Korean, in two sentences, why the correction is needed.',
        'Original: I goes\nCorrection: I went\nSentence: I goes to school yesterday.',
        max_tokens=80,
    )
)
