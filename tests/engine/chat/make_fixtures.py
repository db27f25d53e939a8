#!/usr/bin/env python3
"""Renders test conversations through every shared chat template the way HuggingFace
transformers does, and writes what jinja2 produced as the fixtures chat_template_fixtures_test
compares our interpreter against.

    python3 tests/engine/chat/make_fixtures.py ${ASSISTD_SHARED_DIR:-../shared}/models/templates

Writes tests/engine/chat/fixtures/conversations.json (the inputs) and one
<template name>.json per template (the outputs, or the error a render raised).
"""
import json
import pathlib
import sys
from datetime import datetime

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"

# A fixed clock, so templates that print today's date render the same on every run; the C++ test
# passes the same instant.
FIXED_NOW = datetime(2026, 11, 29, 8, 30, 0)

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather in a city, in <units> & more",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "City name, e.g. 北京"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "description": "Forecast days"},
            },
            "required": ["city"],
        },
    },
}

CONVERSATIONS = {
    "single_user": [{"role": "user", "content": "Hello!"}],
    "system_and_turns": [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "What is 2 + 2?"},
        {"role": "assistant", "content": "2 + 2 = 4."},
        {"role": "user", "content": "And times 3?"},
    ],
    "alternating_no_system": [
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello, how can I help?"},
        {"role": "user", "content": "Tell me a joke.\n  With spaces  "},
        {"role": "assistant", "content": "Why did the chicken cross the road?"},
    ],
    "chinese": [
        {"role": "system", "content": "你是一个乐于助人的助手。"},
        {"role": "user", "content": "你好，世界！今天天气怎么样？"},
        {"role": "assistant", "content": "你好！今天晴朗，气温二十度。😀"},
        {"role": "user", "content": "谢谢 <b>\"引号\"</b> & 'apostrophe'"},
    ],
    "tool_calls": [
        {"role": "system", "content": "You can call tools."},
        {"role": "user", "content": "What's the weather in Paris?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}},
                }
            ],
        },
        {"role": "tool", "name": "get_weather", "tool_call_id": "call_1", "content": "{\"temperature\": 21}"},
        {"role": "assistant", "content": "It is 21 °C in Paris."},
        {"role": "user", "content": "Thanks"},
    ],
    "tool_calls_string_arguments": [
        {"role": "user", "content": "Weather in 上海?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_7",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": "{\"city\": \"上海\"}"},
                }
            ],
        },
        {"role": "tool", "name": "get_weather", "tool_call_id": "call_7", "content": "晴, 25"},
    ],
}

# Which conversations are rendered with tools=[WEATHER_TOOL].
WITH_TOOLS = {"tool_calls", "tool_calls_string_arguments"}

# bos/eos as the model's tokenizer hands them to the template, by template family.
SPECIAL_TOKENS = [
    ("meta-llama", "<|begin_of_text|>", "<|eot_id|>"),
    ("fireworks", "<|begin_of_text|>", "<|eot_id|>"),
    ("meetkai", "<|begin_of_text|>", "<|eot_id|>"),
    ("NousResearch-Hermes-3", "<|begin_of_text|>", "<|im_end|>"),
    ("NousResearch", "<|begin_of_text|>", "<|im_end|>"),
    ("Qwen", None, "<|im_end|>"),
    ("deepseek", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    ("llama-cpp-deepseek", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    ("google-gemma", "<bos>", "<eos>"),
    ("CohereForAI", "<BOS_TOKEN>", "<|END_OF_TURN_TOKEN|>"),
    ("microsoft-Phi", "<s>", "<|endoftext|>"),
    ("mistralai", "<s>", "</s>"),
]


def special_tokens_for(name):
    for prefix, bos, eos in SPECIAL_TOKENS:
        if name.startswith(prefix):
            return bos, eos
    return "<s>", "</s>"


def hf_environment():
    """The environment transformers' render_jinja_template builds (chat_template_utils.py)."""

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators,
                          sort_keys=sort_keys)

    def strftime_now(format):
        return FIXED_NOW.strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def render_case(template, conversation, add_generation_prompt, bos, eos):
    context = {"messages": CONVERSATIONS[conversation], "add_generation_prompt": add_generation_prompt}
    if conversation in WITH_TOOLS:
        context["tools"] = [WEATHER_TOOL]
    if bos is not None:
        context["bos_token"] = bos
    if eos is not None:
        context["eos_token"] = eos
    case = {"conversation": conversation, "add_generation_prompt": add_generation_prompt}
    try:
        case["output"] = template.render(**context)
    except jinja2.exceptions.TemplateError as error:
        case["raises"] = str(error)
    except Exception as error:  # a Python error inside the template (e.g. str + dict)
        case["fails"] = type(error).__name__
    return case


def main():
    templates_dir = pathlib.Path(sys.argv[1])
    env = hf_environment()
    FIXTURES.mkdir(exist_ok=True)
    inputs = {"now": FIXED_NOW.isoformat(), "tools": [WEATHER_TOOL], "with_tools": sorted(WITH_TOOLS),
              "conversations": CONVERSATIONS}
    (FIXTURES / "conversations.json").write_text(json.dumps(inputs, ensure_ascii=False, indent=1) + "\n")
    for path in sorted(templates_dir.glob("*.jinja")):
        template = env.from_string(path.read_text())
        bos, eos = special_tokens_for(path.stem)
        cases = [render_case(template, conversation, add_generation_prompt, bos, eos)
                 for conversation in CONVERSATIONS for add_generation_prompt in (False, True)]
        fixture = {"template": path.name, "bos_token": bos, "eos_token": eos, "cases": cases}
        (FIXTURES / (path.stem + ".json")).write_text(
            json.dumps(fixture, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
