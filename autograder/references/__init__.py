"""Reference implementations of every exercise in the course contract.

Graders only: these never enter a student bundle or a sandbox. `REFERENCES` maps each
exercise id to its function.
"""
from . import backprop, broadcasting, definition, gating_dropout, gradients, performance

REFERENCES = {
    name: getattr(module, name)
    for module in (definition, broadcasting, gradients, gating_dropout, performance, backprop)
    for name in module.__all__
}
