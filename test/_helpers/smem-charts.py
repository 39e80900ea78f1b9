#!/usr/bin/python3
"""Run smem 1.5's own --pie and --bar code (through smem-tar, so that -S reads
a tar.gz) with stand-ins for matplotlib's pylab and numpy that print, as one
JSON line, what smem would have drawn: the pie's values and labels, or the
bar chart's series (one list of heights per key), keys and labels.
Usage: smem-charts.py [smem options] --pie FIELD | --bar FIELD
"""
import json
import os
import sys
import types

drawn = {}

pylab = types.ModuleType("pylab")
pylab.figure = lambda *args, **kwargs: None
pylab.axes = lambda *args, **kwargs: None
pylab.title = lambda text: drawn.update(title=text)


def pie(values, explode=None, labels=None, **kwargs):
    drawn.update(kind="pie", values=list(values), labels=list(labels))


class Positions:
    """numpy.arange's stand-in: smem only adds offsets to it."""

    def __add__(self, other):
        return self

    __radd__ = __add__


def bar(positions, heights, width, color=None):
    drawn.setdefault("series", []).append(list(heights))
    return [None]


class Axes:
    def set_xticks(self, ticks):
        pass

    def set_xticklabels(self, labels, rotation=None):
        drawn.update(kind="bar", labels=list(labels))


pylab.pie = pie
pylab.bar = bar
pylab.gca = lambda: Axes()
pylab.legend = lambda handles, keys: drawn.update(keys=list(keys))
pylab.show = lambda: print(json.dumps(drawn))

numpy = types.ModuleType("numpy")
numpy.arange = lambda n: Positions()

sys.modules["pylab"] = pylab
sys.modules["numpy"] = numpy

wrapper = os.path.join(os.path.dirname(os.path.abspath(__file__)), "smem-tar.py")
sys.argv[0] = wrapper
with open(wrapper) as fh:
    code = compile(fh.read(), wrapper, "exec")
exec(code, {"__name__": "__main__"})
