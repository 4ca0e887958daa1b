"""Generated videos with exact shot-boundary truth: real and synthetic shots joined by hard cuts
and ffmpeg `xfade` transitions, with hard negatives inside shots (a 3-frame camera flash, a
brightness dip, a lasting brightness change, a fast pan, a fast zoom, an object crossing).

Used by tests/test_transitions.py (one small video) and bench/bench_transitions.py (a
development set and a held-back set drawn with other seeds, sources and transition types).
Frame k of a rendered video is shown at k / fps; an xfade of duration D at offset O blends
the frames with O < t < O + D, which are the transition's frames (for the kinds of
XFADE_UNCHANGED_ENDS, only those that blend). The footage's own fades (SOURCE_FADES) that a
shot shows are transitions of kind `source_fade` in the truth, their frames measured alike.
"""

from __future__ import annotations

import functools
import json
import math
import random
import subprocess
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from tests.conftest import TESTDATA, make_video

# Single shots of real footage: (file under testdata/real, start_s, usable seconds).
REAL_SHOTS = {
    "bbb": ("bigbuckbunny.mp4", 0.0, 5.2),
    "cockatoo_a": ("cockatoo.mp4", 0.0, 7.5),
    "cockatoo_b": ("cockatoo.mp4", 8.8, 5.0),
    "chaplin": ("chaplin.mp4", 0.0, 9.5),
    "plane": ("video_with_failing_audio.mp4", 0.0, 11.0),
    "bikes_2": ("bikes.mp4", 1.24, 1.76),
    "bikes_3": ("bikes.mp4", 3.0, 2.4),
    "bbb30_a": ("big_buck_bunny_0_30.webm", 0.7, 11.0),
    "bbb30_b": ("big_buck_bunny_0_30.webm", 11.85, 3.75),
    "bbb30_c": ("big_buck_bunny_0_30.webm", 15.75, 7.1),
    "bbb30_d": ("big_buck_bunny_0_30.webm", 23.05, 6.9),
    "carphone": ("carphone_pristine.mp4", 0.0, 4.0),
}
# Only in the new held-back set (bench --new): footage and sources the detector was not tuned on.
REAL_SHOTS_NEW = {
    "fire": ("fire2.mp4", 0.0, 2.35),
    "sintel": ("doc_medias_example3.mp4", 0.0, 2.0),
    "bikes_4": ("bikes.mp4", 3.1, 2.3),
    "bikes_5": ("bikes.mp4", 5.52, 1.9),
    "carphone_q": ("carphone_distorted.mp4", 0.0, 4.0),
    "chaplin_b": ("chaplin.mp4", 4.0, 5.5),
}
SYNTHETIC_SHOTS_NEW = {
    "sierpinski": "sierpinski=seed=1",  # its default seed is random: renders differed
    "rgbtest": "rgbtestsrc",
    "mandel_zoom": "mandelbrot=start_scale=0.5",
}
# Only in the fresh held-back set (bench --fresh): other segments of the real footage, other
# lavfi sources, other xfade kinds and two more hard negatives (a fast tilt, a spin).
REAL_SHOTS_FRESH = {
    "bikes_6": ("bikes.mp4", 7.52, 2.1),
    "bbb30_e": ("big_buck_bunny_0_30.webm", 12.0, 3.5),
    "cockatoo_m": ("cockatoo.mp4", 2.5, 5.0),
    "plane_mid": ("video_with_failing_audio.mp4", 3.0, 5.0),
    "chaplin_c": ("chaplin.mp4", 2.0, 7.0),
    "bbb_mid": ("bigbuckbunny.mp4", 1.0, 4.3),
}
SYNTHETIC_SHOTS_FRESH = {
    "spectrum": "colorspectrum",
    "yuvtest": "yuvtestsrc",
    "spiral": "gradients=speed=0.03:type=spiral:seed=1:c0=0x30c060:c1=0xc03090",
    "rule30": "cellauto=rule=30:seed=1",
    "sdbars": "smptebars",
}
# Only in the final held-back set (bench --final): later segments of single shots the other
# sets use from their start, other lavfi sources and patterns, other xfade kinds.
REAL_SHOTS_FINAL = {
    "bbb30_f": ("big_buck_bunny_0_30.webm", 5.0, 6.7),
    "bbb30_g": ("big_buck_bunny_0_30.webm", 17.5, 5.35),
    "bbb30_h": ("big_buck_bunny_0_30.webm", 25.0, 4.95),
    "plane_late": ("video_with_failing_audio.mp4", 6.0, 5.0),
    "cockatoo_late": ("cockatoo.mp4", 4.0, 3.5),
    "chaplin_late": ("chaplin.mp4", 5.5, 4.0),
    "bbb_late": ("bigbuckbunny.mp4", 2.0, 3.2),
    "carphone_mid": ("carphone_pristine.mp4", 1.0, 3.0),
}
SYNTHETIC_SHOTS_FINAL = {
    "testsrc": "testsrc",
    "pal75": "pal75bars",
    "radial": "gradients=speed=0.02:type=radial:seed=3:c0=0xa02020:c1=0x20a0a0",
    "rule90": "cellauto=rule=90:seed=3",
    "life_b": "life=ratio=0.3:seed=7:mold=5",
}
# Only in the last held-back set (bench --last): real footage flipped and cropped (other
# pictures of it; segments the other sets use little where there are any), lavfi sources no
# other set uses. A fourth item is a filter applied to the segment.
REAL_SHOTS_LAST = {
    "cockatoo_end": ("cockatoo.mp4", 8.8, 5.0, "hflip,crop=iw*0.6:ih*0.6:iw*0.2:ih*0.3"),
    "plane_crop": ("video_with_failing_audio.mp4", 1.0, 8.0, "crop=iw/2:ih/2:0:ih/4,hflip"),
    "chaplin_crop": ("chaplin.mp4", 0.5, 8.5, "crop=iw*0.5:ih*0.7:iw*0.25:ih*0.15"),
    "bbb30_flip_a": ("big_buck_bunny_0_30.webm", 2.0, 9.5, "hflip,crop=iw*0.7:ih*0.7:iw*0.15:0"),
    "bbb30_flip_b": ("big_buck_bunny_0_30.webm", 16.0, 6.8, "hflip,crop=iw*0.6:ih*0.6:0:ih*0.4"),
    "bbb30_flip_c": ("big_buck_bunny_0_30.webm", 23.5, 6.3, "hflip"),
    "bbb_crop": ("bigbuckbunny.mp4", 0.3, 4.9, "crop=iw/2:ih/2:iw/2:0"),
    "carphone_flip": ("carphone_distorted.mp4", 0.5, 3.4, "hflip"),
    "fire_crop": ("fire2.mp4", 0.0, 2.3, "crop=iw/2:ih/2:iw/4:ih/4"),
}
# Files whose later keyframes decode to grey-green garbage after a seek (cockatoo.mp4 from 3.8 s
# on: cockatoo_b, _m, _late of the other sets are such garbage, kept so that their numbers stay
# comparable); the last set decodes them from the start and trims.
DECODE_FROM_START = {"cockatoo.mp4"}
SYNTHETIC_SHOTS_LAST = {
    "perlin": "perlin=octaves=3:persistence=0.6:xscale=3:yscale=3:tscale=0.3"
    ":random_mode=seed:random_seed=5",
    "zoneplate": "zoneplate=kx2=40:ky2=40:kt=6",
    "pal100": "pal100bars",
    "circular": "gradients=speed=0.04:type=circular:seed=5:c0=0x208040:c1=0xe0e040",
    "square": "gradients=speed=0.03:type=square:seed=9:c0=0x402080:c1=0x80e0a0",
    "triangle": "sierpinski=type=triangle:seed=4",
}
# Only in the next held-back set (bench --next): other segments of the real footage, flipped
# upside down, cropped elsewhere or recoloured; lavfi sources with settings no other set uses,
# mixed with a few the earlier sets use.
REAL_SHOTS_NEXT = {
    "bikes_flip": ("bikes.mp4", 7.6, 2.0, "vflip,crop=iw*0.7:ih*0.7:iw*0.3:ih*0.3"),
    "chaplin_right": ("chaplin.mp4", 0.5, 9.0, "crop=iw*0.4:ih*0.6:iw*0.55:ih*0.2,vflip"),
    "bbb30_low": ("big_buck_bunny_0_30.webm", 1.5, 10.0, "vflip,crop=iw/2:ih/2:0:ih/2"),
    "bbb30_hue": ("big_buck_bunny_0_30.webm", 15.9, 6.8, "hue=h=90"),
    "bbb30_tail": ("big_buck_bunny_0_30.webm", 23.2, 6.7, "crop=iw*0.8:ih*0.8:iw*0.2:ih*0.1,vflip"),
    "plane_right": ("video_with_failing_audio.mp4", 2.0, 8.5, "crop=iw*0.6:ih*0.6:iw*0.4:ih*0.2"),
    "bbb_grey": ("bigbuckbunny.mp4", 0.1, 5.1, "vflip,hue=s=0.4"),
    "cockatoo_flip": ("cockatoo.mp4", 0.3, 7.0, "vflip,crop=iw/2:ih/2:iw/2:ih/2"),
    "carphone_up": ("carphone_pristine.mp4", 0.2, 3.6, "vflip,crop=iw*0.8:ih*0.8:iw*0.1:ih*0.2"),
    "sintel_flip": ("doc_medias_example3.mp4", 0.0, 2.0, "vflip"),
}
SYNTHETIC_SHOTS_NEXT = {
    "mandel_period": "mandelbrot=start_scale=1.5:inner=period:outer=normalized_iteration_count",
    "rule150": "cellauto=rule=150:seed=11",
    "life_c": "life=ratio=0.15:seed=21:mold=20:life_color=0x40c0ff:death_color=0x202020",
    "linear3": "gradients=speed=0.025:type=linear:seed=13:c0=0xc04000:c1=0x0040c0"
    ":c2=0x40c040:nb_colors=3",
    "perlin_b": "perlin=octaves=5:persistence=0.4:xscale=5:yscale=2:tscale=0.8"
    ":random_mode=seed:random_seed=17",
    "carpet": "sierpinski=type=carpet:seed=8",
    "rgbtest": "rgbtestsrc",
    "testsrc": "testsrc",
    "sdbars": "smptebars",
}
# Only in the round-12 held-back set (bench --round12): segments of the real footage no set
# starts at, mirrored both ways, cropped and recoloured in new ways; lavfi sources with
# settings no other set uses, mixed with two of the development set's.
REAL_SHOTS_ROUND12 = {
    "bikes_both": ("bikes.mp4", 5.6, 1.8, "hflip,vflip,crop=iw*0.8:ih*0.8:iw*0.1:ih*0.1"),
    "chaplin_low": ("chaplin.mp4", 1.5, 7.5, "crop=iw*0.5:ih*0.5:0:ih*0.5,hflip"),
    "bbb30_sat": ("big_buck_bunny_0_30.webm", 3.0, 8.5, "eq=saturation=1.6,crop=iw*0.7:ih*0.7"),
    "bbb30_d_hue": ("big_buck_bunny_0_30.webm", 24.0, 5.8, "hue=h=200:s=0.8,hflip"),
    "bbb30_b_low": ("big_buck_bunny_0_30.webm", 12.2, 3.3, "vflip,crop=iw*0.6:ih*0.6:iw*0.4"),
    "plane_warm": ("video_with_failing_audio.mp4", 0.5, 10.0, "crop=iw/2:ih/2:iw/2:ih/2,hue=h=30"),
    "carphone_both": ("carphone_pristine.mp4", 0.0, 3.8, "hflip,vflip"),
    "cockatoo_gamma": ("cockatoo.mp4", 1.0, 2.7, "hflip,eq=gamma=1.3"),
    "fire_flip": ("fire2.mp4", 0.2, 2.1, "vflip"),
    "bbb_purple": ("bigbuckbunny.mp4", 0.5, 4.5, "hue=h=-60,crop=iw*0.6:ih*0.6:iw*0.2:ih*0.2"),
    "sintel_contrast": ("doc_medias_example3.mp4", 0.2, 1.8, "hflip,eq=contrast=1.3"),
}
SYNTHETIC_SHOTS_ROUND12 = {
    "mandel_count": "mandelbrot=start_scale=0.8:outer=iteration_count",
    "rule18": "cellauto=rule=18:seed=23",
    "life_d": "life=ratio=0.4:seed=31:mold=3:life_color=0xffa040:death_color=0x103010",
    "circular_b": "gradients=speed=0.015:type=circular:seed=29:c0=0x8020c0:c1=0x20c080",
    "perlin_c": "perlin=octaves=2:persistence=0.8:xscale=8:yscale=8:tscale=0.5"
    ":random_mode=seed:random_seed=41",
    "zoneplate_b": "zoneplate=kx2=20:ky2=60:kt=3",
    "testsrc2": "testsrc2",
    "bars": "smptehdbars",
}
# Only in the wipes development set (bench --wipes, issue 11): footage the other sets use,
# mirrored or cropped, beside flat and patterned synthetic pictures (bars, test charts, solid
# colours, gradients), the pictures hard-edged wipes leave hardest to see.
REAL_SHOTS_WIPES = {
    "bbb30_mirror": ("big_buck_bunny_0_30.webm", 4.0, 7.0, "hflip"),
    "chaplin_top": ("chaplin.mp4", 1.0, 8.0, "crop=iw*0.7:ih*0.6:iw*0.15:0"),
    "plane_left": ("video_with_failing_audio.mp4", 1.5, 9.0, "crop=iw*0.6:ih*0.6:0:ih*0.2"),
    "bbb_mirror": ("bigbuckbunny.mp4", 0.2, 5.0, "hflip"),
    "bbb30_late": ("big_buck_bunny_0_30.webm", 18.0, 4.8, "crop=iw*0.8:ih*0.8:iw*0.2:0"),
    "cockatoo_crop": ("cockatoo.mp4", 0.5, 3.2, "crop=iw*0.7:ih*0.7:iw*0.3:0"),
    "carphone_mirror": ("carphone_pristine.mp4", 0.3, 3.7, "hflip"),
    "fire_mirror": ("fire2.mp4", 0.0, 2.3, "hflip"),
    "bbb30_open": ("big_buck_bunny_0_30.webm", 1.0, 10.5, "crop=iw*0.75:ih*0.75:0:ih*0.25"),
    "bbb30_tail_m": ("big_buck_bunny_0_30.webm", 23.2, 6.7, "hflip,crop=iw*0.8:ih*0.8"),
    "chaplin_flip": ("chaplin.mp4", 0.0, 9.5, "hflip"),
    "plane_mirror": ("video_with_failing_audio.mp4", 0.3, 10.5, "hflip"),
}
SYNTHETIC_SHOTS_WIPES = {
    "smpte": "smptebars",
    "hdbars": "smptehdbars",
    "testsrc2": "testsrc2",
    "testsrc": "testsrc",
    "red": "color=c=0xc03020",
    "navy": "color=c=0x203070",
    "grey": "color=c=0x808080",
    "linear_w": "gradients=speed=0.02:type=linear:seed=51:c0=0x2080c0:c1=0xe0c040",
    "radial_w": "gradients=speed=0.02:type=radial:seed=52:c0=0x40a040:c1=0xa04080",
}
# Only in the round-13 held-back set (bench --round13): segments and pictures of the real
# footage no other set uses, lavfi sources with settings of their own and two the wipes set
# shares.
REAL_SHOTS_ROUND13 = {
    "bikes_late": ("bikes.mp4", 6.0, 1.9, "hflip,crop=iw*0.75:ih*0.75:iw*0.25:0"),
    "chaplin_mid": ("chaplin.mp4", 3.0, 6.5, "vflip,hue=s=0.6"),
    "bbb30_top": ("big_buck_bunny_0_30.webm", 8.0, 3.7, "crop=iw*0.6:ih*0.5:iw*0.2:0"),
    "bbb30_warm": ("big_buck_bunny_0_30.webm", 20.0, 3.0, "hue=h=20,eq=contrast=1.2"),
    "bbb30_end": ("big_buck_bunny_0_30.webm", 26.0, 3.9, "hflip,vflip"),
    "plane_low": ("video_with_failing_audio.mp4", 4.0, 7.0, "crop=iw*0.5:ih*0.5:iw*0.25:ih/2"),
    "carphone_crop": ("carphone_distorted.mp4", 0.4, 3.5, "crop=iw*0.7:ih*0.7:0:ih*0.3"),
    "cockatoo_cool": ("cockatoo.mp4", 1.8, 1.9, "hue=h=-30,vflip"),
    "bbb_low": ("bigbuckbunny.mp4", 1.5, 3.7, "crop=iw*0.6:ih*0.6:iw*0.4:ih*0.4,hflip"),
    "sintel_crop": ("doc_medias_example3.mp4", 0.1, 1.9, "crop=iw*0.7:ih*0.7:iw*0.3:ih*0.3"),
}
SYNTHETIC_SHOTS_ROUND13 = {
    "mandel_far": "mandelbrot=start_scale=2.5:outer=outz",
    "rule60": "cellauto=rule=60:seed=61",
    "life_e": "life=ratio=0.25:seed=63:mold=8:life_color=0x60ff60:death_color=0x301020",
    "square_b": "gradients=speed=0.035:type=square:seed=67:c0=0xe06020:c1=0x2060e0",
    "perlin_d": "perlin=octaves=4:persistence=0.5:xscale=4:yscale=6:tscale=0.4"
    ":random_mode=seed:random_seed=71",
    "pal75": "pal75bars",
    "smpte": "smptebars",
    "teal": "color=c=0x208080",
}
# Only in the round-14 held-back set (bench --round14): segments and pictures of the real
# footage no other set starts at, mirrored, cropped, recoloured (channels swapped, curves,
# negated saturation) and some played faster or slower (ROUND14_SPEEDS); lavfi sources with
# settings of their own, a few shared; plain colours that diagonal wipes out of real footage
# go into; a two-colour gradient, a spiral and colour bars the negatives that once gave false
# boundaries are forced onto (ROUND14_NEGATIVE_SOURCES).
REAL_SHOTS_ROUND14 = {
    "bikes_slow": ("bikes.mp4", 3.3, 4.2, "hflip,crop=iw*0.6:ih:iw*0.2:0"),
    "bikes_tail": ("bikes.mp4", 7.9, 3.4, "crop=iw*0.5:ih*0.8:iw*0.5:ih*0.2,hue=h=160"),
    "chaplin_fast": (
        "chaplin.mp4",
        0.8,
        6.9,
        "crop=iw*0.5:ih*0.8:iw*0.25:ih*0.1,curves=preset=vintage",
    ),
    "chaplin_neg": ("chaplin.mp4", 4.5, 5.0, "hflip,negate"),
    "bbb30_slow": ("big_buck_bunny_0_30.webm", 6.0, 7.1, "vflip,crop=iw*0.8:ih*0.6:0:ih*0.2"),
    "bbb30_swap": (
        "big_buck_bunny_0_30.webm",
        16.5,
        6.3,
        "colorchannelmixer=rr=0:rb=1:bb=0:br=1,crop=iw*0.7:ih*0.8:iw*0.3:0",
    ),
    "bbb30_short": ("big_buck_bunny_0_30.webm", 13.0, 3.4, "hflip,eq=saturation=0.3"),
    "bbb30_last": ("big_buck_bunny_0_30.webm", 23.8, 6.1, "crop=iw*0.5:ih*0.5:iw*0.5:0"),
    "plane_fast": (
        "video_with_failing_audio.mp4",
        0.8,
        4.2,
        "crop=iw*0.7:ih*0.6:iw*0.15:ih*0.1,vflip",
    ),
    "plane_hue": (
        "video_with_failing_audio.mp4",
        2.2,
        5.0,
        "hflip,hue=h=-100,crop=iw*0.7:ih*0.7:iw*0.3:ih*0.3",
    ),
    "bbb30_quick": ("big_buck_bunny_0_30.webm", 2.2, 7.5, "hflip,crop=iw*0.6:ih*0.9:iw*0.4:0"),
    "cockatoo_grey": (
        "cockatoo.mp4",
        0.7,
        6.8,
        "hflip,vflip,hue=s=0,crop=iw*0.8:ih*0.8:iw*0.1:ih*0.2",
    ),
    "cockatoo_swap": ("cockatoo.mp4", 9.2, 4.7, "colorchannelmixer=rr=0:rg=1:gg=0:gr=1,hflip"),
    "carphone_warm": (
        "carphone_pristine.mp4",
        0.7,
        4.2,
        "crop=iw*0.6:ih*0.6:iw*0.4:0,hflip,eq=brightness=0.06:saturation=1.4",
    ),
    "carphone_q_hue": ("carphone_distorted.mp4", 0.6, 3.3, "vflip,hue=h=100"),
    "bbb_green": ("bigbuckbunny.mp4", 0.8, 5.5, "crop=iw*0.5:ih*0.7:0:ih*0.3,vflip,hue=h=140"),
    "fire_pale": ("fire2.mp4", 0.1, 2.2, "crop=iw*0.7:ih*0.7:iw*0.3:ih*0.15,hue=s=0.3"),
    "sintel_slow": ("doc_medias_example3.mp4", 0.15, 2.4, "hflip,vflip,eq=contrast=1.4"),
}
# Played this many times as fast as filmed (the usable seconds are the played ones).
ROUND14_SPEEDS = {
    "bikes_slow": 0.5,
    "bikes_tail": 0.5,
    "chaplin_fast": 1.25,
    "bbb30_slow": 0.8,
    "bbb30_quick": 1.25,
    "bbb30_short": 0.75,
    "plane_fast": 1.5,
    "carphone_warm": 0.75,
    "bbb_green": 0.8,
    "sintel_slow": 0.75,
}
SYNTHETIC_SHOTS_ROUND14 = {
    "mandel_conv": "mandelbrot=start_x=-0.75:start_y=0.1:start_scale=1.2:inner=convergence"
    ":outer=white",
    "rule126": "cellauto=rule=126:seed=81",
    "life_f": "life=ratio=0.35:seed=83:mold=12:life_color=0xff60c0:death_color=0x002040",
    "perlin_e": "perlin=octaves=6:persistence=0.3:xscale=2:yscale=5:tscale=1.2"
    ":random_mode=seed:random_seed=89",
    "zoneplate_up": "zoneplate=kx2=30:ky2=30:kt2=12",  # its rings run faster and faster
    "spectrum_all": "colorspectrum=type=all",
    "testsrc2": "testsrc2",
    "rgbtest": "rgbtestsrc",
}
# Forced shots of the round-14 set: plain colours (after a diagonal wipe out of real footage)
# and the pictures three negatives are drawn on.
ROUND14_PLAIN = {"plum": "color=c=0x703060", "olive": "color=c=0x8a8a30"}
ROUND14_NEGATIVE_SOURCES = {
    "turn": ("duo", "gradients=speed=0.04:type=linear:seed=93:nb_colors=2:c0=0xd04020:c1=0x2090d0"),
    "spinup": (
        "spiral_b",
        "gradients=speed=0.01:type=spiral:seed=91:x0=160:y0=90:nb_colors=6:c0=0x102060"
        ":c1=0xf0d020:c2=0x102060:c3=0xf0d020:c4=0x102060:c5=0xf0d020",
    ),
    "bars_tilt": ("hdbars", "smptehdbars"),
}
SYNTHETIC_SHOTS_ROUND14_FORCED = ROUND14_PLAIN | dict(ROUND14_NEGATIVE_SOURCES.values())
# Only in the round-15 held-back set (bench --round15): segments and pictures of the real
# footage of its own (other spans, crops, colours); three of them boxed by their crop, a wide
# letterboxed picture or a 4:3 pillarboxed one, that slides and wipes go into
# (ROUND15_BOXED); lavfi sources with settings of their own; the real shots the speed changes
# are played on (ROUND15_NEGATIVE_SOURCES). The plane's film fades slowly to black from 7.2 s
# (4 s long): plane_blue and plane_letterbox may end in it, an in-shot ramp, not a transition.
REAL_SHOTS_ROUND15 = {
    "bbb30_head": ("big_buck_bunny_0_30.webm", 1.2, 10.3, "crop=iw*0.55:ih*0.75:iw*0.45:ih*0.25"),
    "bbb30_pale": ("big_buck_bunny_0_30.webm", 12.4, 3.1, "vflip,hue=h=-160:s=0.5"),
    "bbb30_lit": (
        "big_buck_bunny_0_30.webm",
        16.2,
        6.5,
        "crop=iw*0.65:ih*0.65:iw*0.1:ih*0.35,eq=contrast=1.25:brightness=0.05",
    ),
    "bbb30_mix": (
        "big_buck_bunny_0_30.webm",
        23.4,
        6.4,
        "hflip,colorchannelmixer=rr=0.3:rg=0.7:gg=0.5:gb=0.5",
    ),
    "chaplin_tall": ("chaplin.mp4", 0.3, 9.2, "crop=iw*0.45:ih*0.9:iw*0.3:ih*0.05,eq=gamma=1.4"),
    "plane_blue": (
        "video_with_failing_audio.mp4",
        0.6,
        9.2,
        "vflip,crop=iw*0.55:ih*0.7:iw*0.2:0,hue=h=60",
    ),
    "cockatoo_tall": ("cockatoo.mp4", 0.2, 3.4, "crop=iw*0.5:ih*0.9:iw*0.25:0,hue=s=1.5"),
    "carphone_q_grey": ("carphone_distorted.mp4", 0.2, 3.7, "crop=iw*0.8:ih*0.6:0:ih*0.4,hue=s=0"),
    "carphone_mix": (
        "carphone_pristine.mp4",
        0.1,
        3.8,
        "vflip,colorchannelmixer=rr=0.5:rb=0.5:bb=0.6:bg=0.4",
    ),
    "bbb_wide": ("bigbuckbunny.mp4", 0.4, 4.8, "hflip,crop=iw*0.7:ih*0.5:iw*0.3:ih*0.25,hue=h=-20"),
    # Boxed by their crop: fitted into the 16:9 frame they keep black bars (about a third of
    # the height, a quarter of the width).
    "plane_letterbox": ("video_with_failing_audio.mp4", 1.2, 8.6, "crop=iw:iw/2.76:0:ih*0.2"),
    "chaplin_letterbox": ("chaplin.mp4", 0.6, 8.9, "crop=iw*0.5:iw*0.5/2.4:iw*0.25:ih*0.3"),
    "bbb30_pillar": ("big_buck_bunny_0_30.webm", 0.9, 10.8, "crop=ih*4/3:ih:iw*0.2:0,hue=h=25"),
}
ROUND15_BOXED = ("chaplin_letterbox", "bbb30_pillar", "plane_letterbox")
SYNTHETIC_SHOTS_ROUND15 = {
    "mandel_deep": "mandelbrot=start_x=-1.25:start_y=0.02:start_scale=0.3:end_scale=0.1"
    ":inner=mincol",
    "rule73": "cellauto=rule=73:seed=151",
    "life_g": "life=ratio=0.2:seed=153:mold=25:life_color=0xf0f060:death_color=0x402000",
    "perlin_f": "perlin=octaves=3:persistence=0.7:xscale=6:yscale=3:tscale=0.6"
    ":random_mode=seed:random_seed=157",
    "linear_b": "gradients=speed=0.03:type=linear:seed=159:c0=0x30a060:c1=0xc06030",
    "zoneplate_c": "zoneplate=kx2=50:ky2=10:kt=4",
    "carpet_b": "sierpinski=type=carpet:seed=161",
}
# The round-15 set's changes of speed inside a shot (not cuts): played `speed` times as fast
# for `seconds` shown seconds from the negative's start (None: to the shot's end).
ROUND15_SPEED_CHANGES = {"speedup": (2.5, 1.0), "slowmo": (0.5, None)}
ROUND15_NEGATIVE_SOURCES = {
    "speedup": ("bbb30_head", "bbb30_pillar"),
    "slowmo": ("plane_blue", "chaplin_tall"),
}
# Only in the round-16 held-back set (bench --round16): segments and pictures of the real
# footage of its own, most of them long enough for a 2 s transition on both sides and a
# negative (the pairs of ROUND16_SIMILAR overlap in time: the same scene, framed apart); lavfi
# sources with settings of their own, two of them near-identical gradients. Each lies between
# its film's own cuts, fades and titles: big_buck_bunny_0_30 fades in from black until 2.0 s
# (measured: mean luma 0 at 0.17 s, 218 from 2.0 s; not 0.6 s as real/truth.json says), cuts
# at 11.8, 15.67 and 22.96 s, and fades titles in at about 20, 25 s and out at 29 s; the plane's
# film fades from 7.2 s; cockatoo whips out of focus from 7.8 s.
REAL_SHOTS_ROUND16 = {
    "field_a16": ("big_buck_bunny_0_30.webm", 3.6, 6.4, "crop=iw*0.8:ih*0.8:0:ih*0.2"),
    "field_b16": ("big_buck_bunny_0_30.webm", 4.6, 7.1, "crop=iw*0.85:ih*0.85:iw*0.15:ih*0.1"),
    "hill_a16": (
        "big_buck_bunny_0_30.webm",
        2.2,
        7.2,
        "hflip,crop=iw*0.7:ih*0.7:iw*0.3:ih*0.3",
    ),
    "hill_b16": ("big_buck_bunny_0_30.webm", 4.4, 7.3, "hflip,crop=iw*0.6:ih*0.6:0:ih*0.4"),
    "plane_a16": ("video_with_failing_audio.mp4", 0.1, 7.0, "crop=iw*0.7:ih*0.7:iw*0.1:ih*0.1"),
    "plane_b16": ("video_with_failing_audio.mp4", 0.9, 6.2, "crop=iw*0.6:ih*0.6:iw*0.35:ih*0.3"),
    "cockatoo_a16": ("cockatoo.mp4", 0.0, 7.6, "crop=iw*0.8:ih*0.8:iw*0.1:0"),
    "cockatoo_b16": ("cockatoo.mp4", 0.8, 6.8, "crop=iw*0.55:ih*0.55:iw*0.3:ih*0.2"),
    "chaplin_wide16": ("chaplin.mp4", 0.2, 9.3, "crop=iw*0.77:ih:iw*0.115:0"),
    "chaplin_close16": ("chaplin.mp4", 1.9, 7.6, "crop=iw*0.45:ih*0.6:iw*0.3:ih*0.15"),
    "sky16": ("big_buck_bunny_0_30.webm", 2.1, 9.6, "crop=iw*0.7:ih:iw*0.3:0"),
    "bunny16": ("bigbuckbunny.mp4", 0.1, 3.4, "crop=iw*0.75:ih*0.75:iw*0.25:0"),
    "carphone_q16": ("carphone_distorted.mp4", 0.3, 3.6, "hflip,crop=iw*0.9:ih*0.9"),
}
SYNTHETIC_SHOTS_ROUND16 = {
    "warm_a16": "gradients=speed=0.02:type=linear:seed=1611:c0=0x3070b0:c1=0xd0a050",
    "warm_b16": "gradients=speed=0.02:type=linear:seed=1612:c0=0x3a76a8:c1=0xc8a45a",
    "mandel16": "mandelbrot=start_x=-0.745:start_y=0.11:start_scale=0.4:end_scale=0.05"
    ":inner=period",
    "perlin16": "perlin=octaves=4:persistence=0.55:xscale=5:yscale=4:tscale=0.4"
    ":random_mode=seed:random_seed=1613",
    "life16": "life=ratio=0.3:seed=1614:mold=15:life_color=0x80ff80:death_color=0x201040",
    "zoneplate16": "zoneplate=kx2=35:ky2=25:kt=5",
    "rule16": "cellauto=rule=45:seed=1615",
}
# Pairs of similar-looking shots (the same scene framed apart, or gradients of near colours):
# each pair is joined by a gradual transition in the round-16 set.
ROUND16_SIMILAR = (
    ("field_a16", "field_b16"),
    ("hill_a16", "hill_b16"),
    ("plane_a16", "plane_b16"),
    ("cockatoo_a16", "cockatoo_b16"),
    ("chaplin_wide16", "chaplin_close16"),
    ("warm_a16", "warm_b16"),
)
# A shot's whole-length camera move (the picture filled at ROUND16_GROW times the frame, a
# window of the frame's size moved across it, or zoompan into it): before, through and after
# its transitions.
ROUND16_MOVES = ("pan_right", "pan_left", "tilt_down", "tilt_up", "drift", "zoom_in", "zoom_out")
ROUND16_GROW = 2.5
# Only in the round-17 held-back set (bench --round17): segments and pictures of the real
# footage of its own, within the films' own cuts, fades and titles (see REAL_SHOTS_ROUND16's
# note; cockatoo decoded from its start, DECODE_FROM_START), the pairs of ROUND17_SIMILAR
# overlapping in time (the same scene framed apart, the carphone pair once pristine and once
# heavily compressed); chaplin's crops stay inside its own pillarbox (x 0.115-0.885).
REAL_SHOTS_ROUND17 = {
    "meadow_a17": ("big_buck_bunny_0_30.webm", 2.3, 9.3, "crop=iw*0.6:ih*0.8:0:ih*0.1"),
    "meadow_b17": ("big_buck_bunny_0_30.webm", 2.9, 8.7, "crop=iw*0.5:ih*0.6:iw*0.4:ih*0.3"),
    "sky_b17": ("big_buck_bunny_0_30.webm", 6.4, 5.1, "crop=iw*0.55:ih*0.65:iw*0.45:0"),
    "grove17": ("big_buck_bunny_0_30.webm", 15.9, 4.3, "hflip,crop=iw*0.75:ih*0.7:0:ih*0.3"),
    "chaplin_a17": ("chaplin.mp4", 0.4, 9.0, "crop=iw*0.6:ih*0.85:iw*0.2:ih*0.05"),
    "chaplin_b17": ("chaplin.mp4", 1.1, 8.3, "crop=iw*0.42:ih*0.55:iw*0.36:ih*0.3"),
    "plane_a17": ("video_with_failing_audio.mp4", 0.3, 6.8, "crop=iw*0.75:ih*0.6:0:ih*0.2"),
    "plane_b17": ("video_with_failing_audio.mp4", 0.8, 6.3, "crop=iw*0.5:ih*0.5:iw*0.45:ih*0.15"),
    "cockatoo_a17": ("cockatoo.mp4", 0.3, 7.3, "crop=iw*0.7:ih*0.7:iw*0.3:ih*0.15"),
    "cockatoo_b17": ("cockatoo.mp4", 1.0, 6.6, "crop=iw*0.5:ih*0.6:iw*0.1:ih*0.2"),
    "bunny17": ("bigbuckbunny.mp4", 0.5, 4.7, "hflip,crop=iw*0.6:ih*0.8:iw*0.2:ih*0.2"),
    "carphone_a17": ("carphone_pristine.mp4", 0.0, 4.0, "crop=iw*0.7:ih*0.8:0:ih*0.1"),
    "carphone_b17": ("carphone_distorted.mp4", 0.1, 3.9, "crop=iw*0.7:ih*0.8:iw*0.3:ih*0.1"),
}
SYNTHETIC_SHOTS_ROUND17 = {
    "perlin17": "perlin=octaves=5:persistence=0.45:xscale=3:yscale=6:tscale=0.25"
    ":random_mode=seed:random_seed=1701",
    "mandel17": "mandelbrot=start_x=-0.16:start_y=1.04:start_scale=0.35:end_scale=0.08"
    ":inner=convergence",
    "cells17": "cellauto=rule=150:seed=1703",
    "spiral17": "gradients=speed=0.015:type=spiral:seed=1704:c0=0x602080:c1=0x40c0a0",
}
# Pairs of similar-looking shots, each joined by a gradual transition in the round-17 set.
ROUND17_SIMILAR = (
    ("meadow_a17", "meadow_b17"),
    ("chaplin_a17", "chaplin_b17"),
    ("carphone_a17", "carphone_b17"),
    ("plane_b17", "plane_a17"),
    ("cockatoo_a17", "cockatoo_b17"),
)
# Frames at the ends of a round-17 soft-edged span that change no sample of the footage it joins,
# though the plain probes of xfade_blend_frames blend there (the edge's small weight rounds to
# nothing on the footage's smaller differences): (outgoing, incoming, kind) -> frames more to
# trim at the start and at the end, measured with check_truth (bench --round17 --check-truth).
ROUND17_SOFT_ENDS = {
    ("perlin17", "chaplin_a17", "circleopen"): (1, 1),
}
# The round-17 set's camera moves over the whole shot, other speeds and paths than round 16's
# steady 1.5-frame sweeps: move -> (the picture's size in frames, travel across in frame
# widths (+ right) and down in frame heights (+ down), eased in and out, handheld wander).
# Slow creeps (0.3 of a frame over the shot), a slow diagonal drift up and left, eased pans
# and tilts, a fast pan (2.3 widths), a handheld hold and a handheld pan (a slow irregular
# wander of about 5 % of the frame plus a 6-9 Hz jitter of 2-4 px); zooms are slow (1x to
# 1.35x, 1.5x to 1.1x) or push in while drifting right.
ROUND17_MOVES = {
    "creep_left": (1.5, -0.3, 0.0, False, False),
    "creep_up": (1.5, 0.0, -0.3, False, False),
    "drift_up_left": (1.8, -0.5, -0.45, False, False),
    "pan_eased_right": (2.2, 1.1, 0.0, True, False),
    "tilt_eased_down": (2.0, 0.0, 0.9, True, False),
    "pan_fast_left": (3.4, -2.3, 0.0, False, False),
    "handheld": (1.4, 0.0, 0.0, False, True),
    "handheld_pan": (1.9, 0.6, 0.1, False, True),
    "zoom_in_slow": (1.5, 0.0, 0.0, False, False),
    "pull_out_slow": (1.5, 0.0, 0.0, False, False),
    "push_in": (1.5, 0.0, 0.0, False, False),
}
# Only in the round-18 held-back set (bench --round18): segments and pictures of the real
# footage of its own, within the films' own cuts, fades and titles (see REAL_SHOTS_ROUND16's
# note; cockatoo decoded from its start, DECODE_FROM_START; chaplin inside its pillarbox), the
# pairs of ROUND18_SIMILAR overlapping in time (the same scene framed apart, the carphone pair
# once pristine and once heavily compressed).
REAL_SHOTS_ROUND18 = {
    "lawn_a18": ("big_buck_bunny_0_30.webm", 2.6, 9.0, "crop=iw*0.65:ih*0.7:iw*0.35:ih*0.3"),
    "lawn_b18": (
        "big_buck_bunny_0_30.webm",
        3.4,
        8.2,
        "hflip,crop=iw*0.5:ih*0.55:iw*0.1:ih*0.4",
    ),
    "bush18": ("big_buck_bunny_0_30.webm", 5.2, 6.4, "crop=iw*0.45:ih*0.5:iw*0.55:ih*0.45"),
    "burrow18": ("big_buck_bunny_0_30.webm", 11.95, 3.6, "crop=iw*0.7:ih*0.75:iw*0.15:ih*0.2"),
    "trees_a18": ("big_buck_bunny_0_30.webm", 15.8, 4.4, "crop=iw*0.6:ih*0.6:iw*0.4:ih*0.1"),
    "trees_b18": ("big_buck_bunny_0_30.webm", 16.1, 4.1, "hflip,crop=iw*0.8:ih*0.7:0:ih*0.3"),
    "chaplin_a18": ("chaplin.mp4", 0.2, 9.3, "crop=iw*0.5:ih*0.75:iw*0.25:ih*0.2"),
    "chaplin_b18": ("chaplin.mp4", 0.7, 8.8, "hflip,crop=iw*0.38:ih*0.5:iw*0.2:ih*0.1"),
    "plane_a18": (
        "video_with_failing_audio.mp4",
        0.2,
        6.8,
        "crop=iw*0.65:ih*0.65:iw*0.35:ih*0.35",
    ),
    "plane_b18": (
        "video_with_failing_audio.mp4",
        0.5,
        6.5,
        "hflip,crop=iw*0.55:ih*0.7:iw*0.2:ih*0.05",
    ),
    "cockatoo_a18": ("cockatoo.mp4", 0.1, 7.5, "crop=iw*0.6:ih*0.8:iw*0.2:ih*0.1"),
    "cockatoo_b18": ("cockatoo.mp4", 0.6, 7.0, "hflip,crop=iw*0.45:ih*0.45:iw*0.3:ih*0.3"),
    "bunny18": ("bigbuckbunny.mp4", 0.2, 5.0, "crop=iw*0.55:ih*0.7:iw*0.45:0"),
    "carphone_p18": ("carphone_pristine.mp4", 0.2, 3.8, "crop=iw*0.6:ih*0.7:iw*0.2:0"),
    "carphone_q18": (
        "carphone_distorted.mp4",
        0.0,
        4.0,
        "hflip,crop=iw*0.75:ih*0.75:iw*0.25:ih*0.25",
    ),
}
SYNTHETIC_SHOTS_ROUND18 = {
    "perlin18": "perlin=octaves=3:persistence=0.65:xscale=7:yscale=2:tscale=0.35"
    ":random_mode=seed:random_seed=1801",
    "mandel18": "mandelbrot=start_x=-0.088:start_y=0.654:start_scale=0.25:end_scale=0.04"
    ":inner=mincol",
    "cells18": "cellauto=rule=105:seed=1803",
    "zoneplate18": "zoneplate=kx2=15:ky2=45:kt=2",
}
# Pairs of similar-looking shots, each joined by a gradual transition in the round-18 set
# (one scene in both orders).
ROUND18_SIMILAR = (
    ("lawn_a18", "lawn_b18"),
    ("lawn_b18", "lawn_a18"),
    ("cockatoo_b18", "cockatoo_a18"),
    ("carphone_p18", "carphone_q18"),
    ("trees_a18", "trees_b18"),
    ("plane_a18", "plane_b18"),
    ("chaplin_a18", "chaplin_b18"),
)
# Frames more to trim at the start and end of a round-18 span, as ROUND17_SOFT_ENDS, measured
# with bench --round18 --check-truth: a distance blend into the cellular automaton shows it
# whole in its last 7 frames; a frame fewer (-1) where xfade's squeeze already resamples the
# outgoing footage at t = O (a plain probe's colour stays the same).
ROUND18_SOFT_ENDS = {
    ("plane_b18", "cells18", "distance"): (0, 7),
    ("chaplin_b18", "lawn_b18", "squeezev"): (-1, 0),
}
# The round-18 set's camera moves over the whole shot, paths no earlier set has: move -> (the
# picture's size in frames, the window's offset from the centre across in frame widths (+
# right) and down in frame heights (+ down), expressions of U, the share of the shot gone, and
# T, its seconds; None for the zooms and the roll). A pan that speeds up from rest and one that
# slows to rest, a pan that stops at 60 % of the shot and holds, a tilt up that starts at 40 %,
# a slow diagonal drift down and right, an arc (one circle of 0.22 frames), a handheld walk
# (a 0.9 Hz sway, a bob at twice that, a 5-9 Hz jitter of 2-3 px), a handheld roll (up to
# 8 degrees), a zoom in while panning left and an eased pull back from 1.9x.
ROUND18_MOVES = {
    "pan_accel_right": (2.4, "1.2*(U*U-0.5)", "0"),
    "pan_decel_left": (2.4, "0.6-1.2*U*(2-U)", "0"),
    "pan_stop_right": (2.0, "0.8*((1-cos(PI*min(U/0.6,1)))/2-0.5)", "0"),
    "tilt_late_up": (2.0, "0", "0.4-0.8*(1-cos(PI*clip((U-0.4)/0.6,0,1)))/2"),
    "drift_down_right": (1.6, "0.4*(U-0.5)", "0.35*(U-0.5)"),
    "arc": (1.6, "0.22*cos(2*PI*U)", "0.22*sin(2*PI*U)"),
    "walk": (1.4, "0.03*sin(2*PI*0.9*T)", "0.045*abs(sin(2*PI*0.9*T))-0.02"),
    "roll": (1.4, None, None),
    "zoom_pan_left": (1.6, None, None),
    "pull_back": (1.6, None, None),
}
# Only in the round-19 held-back set (bench --round19): segments and pictures of the real
# footage of its own, within the films' own cuts, fades and titles (see REAL_SHOTS_ROUND16's
# note; cockatoo decoded from its start, DECODE_FROM_START; chaplin inside its pillarbox), the
# pairs of ROUND19_SIMILAR overlapping in time (the same scene framed apart, the carphone pair
# once heavily compressed and once pristine).
REAL_SHOTS_ROUND19 = {
    "meadow_a19": ("big_buck_bunny_0_30.webm", 2.5, 9.1, "crop=iw*0.55:ih*0.65:iw*0.05:ih*0.3"),
    "meadow_b19": (
        "big_buck_bunny_0_30.webm",
        3.0,
        8.6,
        "hflip,crop=iw*0.62:ih*0.6:iw*0.3:ih*0.25",
    ),
    "hill19": ("big_buck_bunny_0_30.webm", 6.0, 5.7, "crop=iw*0.45:ih*0.55:iw*0.5:ih*0.05"),
    "burrow19": ("big_buck_bunny_0_30.webm", 12.0, 3.6, "hflip,crop=iw*0.6:ih*0.7:iw*0.25:ih*0.2"),
    "woods_a19": ("big_buck_bunny_0_30.webm", 15.85, 4.3, "crop=iw*0.65:ih*0.65:iw*0.1:ih*0.2"),
    "woods_b19": (
        "big_buck_bunny_0_30.webm",
        15.95,
        4.2,
        "hflip,crop=iw*0.5:ih*0.6:iw*0.45:ih*0.35",
    ),
    "chaplin_a19": ("chaplin.mp4", 0.3, 9.2, "crop=iw*0.55:ih*0.7:iw*0.15:ih*0.25"),
    "chaplin_b19": ("chaplin.mp4", 0.9, 8.6, "hflip,crop=iw*0.4:ih*0.6:iw*0.3:ih*0.2"),
    "plane_a19": (
        "video_with_failing_audio.mp4",
        0.15,
        6.9,
        "crop=iw*0.6:ih*0.6:iw*0.2:ih*0.3",
    ),
    "plane_b19": (
        "video_with_failing_audio.mp4",
        0.6,
        6.5,
        "hflip,crop=iw*0.5:ih*0.55:iw*0.4:ih*0.15",
    ),
    "cockatoo_a19": ("cockatoo.mp4", 0.2, 7.4, "crop=iw*0.65:ih*0.75:iw*0.3:ih*0.05"),
    "cockatoo_b19": ("cockatoo.mp4", 0.5, 7.1, "hflip,crop=iw*0.5:ih*0.5:iw*0.15:ih*0.35"),
    "bunny19": ("bigbuckbunny.mp4", 0.3, 4.9, "crop=iw*0.6:ih*0.75:iw*0.05:ih*0.2"),
    "carphone_p19": (
        "carphone_pristine.mp4",
        0.1,
        3.9,
        "hflip,crop=iw*0.65:ih*0.75:iw*0.3:ih*0.2",
    ),
    "carphone_q19": ("carphone_distorted.mp4", 0.3, 3.7, "crop=iw*0.6:ih*0.65:iw*0.1:ih*0.05"),
}
SYNTHETIC_SHOTS_ROUND19 = {
    "perlin19": "perlin=octaves=2:persistence=0.8:xscale=4:yscale=9:tscale=0.5"
    ":random_mode=seed:random_seed=1901",
    "mandel19": "mandelbrot=start_x=-1.25066:start_y=0.02012:start_scale=0.3:end_scale=0.02"
    ":inner=black",
    "spiral19": "gradients=speed=0.03:type=circular:seed=1903:c0=0x803020:c1=0x20a0c0",
    "life19": "life=ratio=0.4:seed=1904:mold=8:life_color=0xffd060:death_color=0x102040",
}
# Pairs of similar-looking shots, each joined by a gradual transition in the round-19 set
# (one scene in both orders).
ROUND19_SIMILAR = (
    ("meadow_a19", "meadow_b19"),
    ("meadow_b19", "meadow_a19"),
    ("chaplin_b19", "chaplin_a19"),
    ("plane_a19", "plane_b19"),
    ("cockatoo_a19", "cockatoo_b19"),
    ("woods_a19", "woods_b19"),
    ("carphone_q19", "carphone_p19"),
)
# Frames more to trim at the start and end of a round-19 span, as ROUND18_SOFT_ENDS, measured
# with bench --round19 --check-truth: a frame fewer (-1) where xfade's squeeze already
# resamples the outgoing footage at t = O (as round 18's squeezev).
ROUND19_SOFT_ENDS = {
    ("cockatoo_b19", "burrow19", "squeezeh"): (-1, 0),
}
# The round-19 set's camera moves over the whole shot, paths no earlier set has: move -> (the
# picture's size in frames, the window's offset from the centre across in frame widths and
# down in frame heights, expressions of U, the share of the shot gone, and T, its seconds;
# None for the zooms and the rotation). A whip pan right (0.9 widths in a tenth of the shot,
# from 20 %) that stops dead, a pan right that reverses and comes back, a pan in three
# steps (each moving a third of its third, then holding), an eased tilt down over the first
# half that then holds, a bobbing walk (a 1.8 Hz bob, a slow sway, a 6-8 Hz jitter of 2 px),
# a slow drift with a tripod bump at 70 % (a damped 7 Hz shake of 7 px), a slow rotation
# (0.48 rad over the shot), a slow push in (1x to 1.35x) drifting right and a zoom out
# (1.7x to 1x) tilting up from the bottom.
ROUND19_MOVES = {
    "whip_stop_right": (2.0, "0.9*(clip((U-0.2)/0.1,0,1)-0.5)", "0"),
    "pan_reverse": (1.8, "0.7*(sin(PI*U)-0.5)", "0"),
    "pan_steps": (1.8, "0.25*(floor(3*U)+clip(3*(3*U-floor(3*U)),0,1))-0.375", "0"),
    "tilt_down_hold": (1.8, "0", "0.7*((1-cos(PI*min(U/0.5,1)))/2-0.5)"),
    "bob_walk": (1.3, "0.1*(U-0.5)+0.02*sin(2*PI*0.7*T)", "0.04*cos(2*PI*1.8*T)"),
    "drift_bump": (1.3, "0.2*(U-0.5)", "0"),
    "rotate_slow": (1.5, None, None),
    "push_drift": (1.6, None, None),
    "zoom_out_tilt": (1.6, None, None),
}
# Only in the round-20 held-back set (bench --round20): segments and pictures of the real
# footage of its own, within the films' own cuts, fades and titles (see REAL_SHOTS_ROUND16's
# note), the ROUND20_SIMILAR pairs overlapping in time (one scene framed apart: close colours);
# bikes' street footage and fire2's phone footage, which no set since round 14 shows, played at
# half speed (ROUND20_SPEEDS: their shots between cuts are under 2.5 s).
REAL_SHOTS_ROUND20 = {
    "field_a20": ("big_buck_bunny_0_30.webm", 2.2, 9.4, "crop=iw*0.5:ih*0.6:iw*0.4:ih*0.35"),
    "field_b20": (
        "big_buck_bunny_0_30.webm",
        2.65,
        8.95,
        "hflip,crop=iw*0.58:ih*0.7:iw*0.2:ih*0.1",
    ),
    "warren20": ("big_buck_bunny_0_30.webm", 12.1, 3.5, "crop=iw*0.55:ih*0.65:iw*0.4:ih*0.3"),
    "forest_a20": ("big_buck_bunny_0_30.webm", 16.0, 6.8, "crop=iw*0.6:ih*0.55:iw*0.05:ih*0.4"),
    "forest_b20": (
        "big_buck_bunny_0_30.webm",
        16.3,
        6.5,
        "hflip,crop=iw*0.7:ih*0.7:iw*0.15:ih*0.15",
    ),
    "tramp_a20": ("chaplin.mp4", 0.45, 9.0, "crop=iw*0.45:ih*0.65:iw*0.3:ih*0.3"),
    "tramp_b20": ("chaplin.mp4", 1.2, 8.2, "hflip,crop=iw*0.5:ih*0.75:iw*0.22:ih*0.1"),
    "runway_a20": (
        "video_with_failing_audio.mp4",
        0.25,
        6.8,
        "crop=iw*0.5:ih*0.65:iw*0.1:ih*0.2",
    ),
    "runway_b20": (
        "video_with_failing_audio.mp4",
        0.8,
        6.3,
        "hflip,crop=iw*0.6:ih*0.5:iw*0.25:ih*0.4",
    ),
    "bird_a20": ("cockatoo.mp4", 0.35, 7.2, "crop=iw*0.55:ih*0.6:iw*0.4:ih*0.2"),
    "bird_b20": ("cockatoo.mp4", 0.1, 7.4, "hflip,crop=iw*0.6:ih*0.7:iw*0.1:ih*0.25"),
    "bunnyclip20": ("bigbuckbunny.mp4", 0.6, 4.6, "hflip,crop=iw*0.55:ih*0.7:iw*0.4:ih*0.25"),
    "phone_p20": ("carphone_pristine.mp4", 0.2, 3.75, "crop=iw*0.55:ih*0.6:iw*0.4:ih*0.3"),
    "phone_q20": (
        "carphone_distorted.mp4",
        0.05,
        3.9,
        "hflip,crop=iw*0.7:ih*0.7:iw*0.05:ih*0.1",
    ),
    "street_a20": ("bikes.mp4", 3.12, 4.48, "crop=iw*0.5:ih*0.8:iw*0.45:ih*0.1"),
    "street_b20": ("bikes.mp4", 7.56, 4.08, "hflip,crop=iw*0.45:ih*0.85:iw*0.3:ih*0.05"),
    "blaze20": ("fire2.mp4", 0.02, 4.4, "crop=iw*0.6:ih*0.6:iw*0.2:ih*0.2"),
}
# Played this many times as fast as filmed, as ROUND14_SPEEDS (the usable seconds are the
# played ones): bikes' shots (3.04-5.48 s and 7.48-9.68 s between its published cuts) and fire2.
ROUND20_SPEEDS = {"street_a20": 0.5, "street_b20": 0.5, "blaze20": 0.5}
SYNTHETIC_SHOTS_ROUND20 = {
    "plasma20": "perlin=octaves=4:persistence=0.5:xscale=7:yscale=3:tscale=0.8"
    ":random_mode=seed:random_seed=2001",
    "julia20": "mandelbrot=start_x=-0.7436:start_y=0.1318:start_scale=0.05:end_scale=0.01"
    ":inner=period",
    "greens20": "gradients=speed=0.02:type=radial:seed=2003:c0=0x3c6a28:c1=0x70a850",
    "cells20": "cellauto=rule=150:seed=2004:random_fill_ratio=0.4",
}
# Pairs of similar-looking shots (one scene framed apart, close colours), each joined by a
# gradual transition in the round-20 set, both moving: the short and long fades and
# dissolves among them.
ROUND20_SIMILAR = (
    ("field_a20", "field_b20"),
    ("tramp_a20", "tramp_b20"),
    ("forest_a20", "forest_b20"),
    ("runway_a20", "runway_b20"),
    ("bird_a20", "bird_b20"),
    ("street_a20", "street_b20"),
    ("phone_q20", "phone_p20"),
)
# Frames more to trim at the start and end of a round-20 span, as ROUND19_SOFT_ENDS, measured
# with bench --round20 --check-truth: a frame fewer (-1) where xfade's squeeze already
# resamples the outgoing footage at t = O (as round 18's squeezev and round 19's squeezeh;
# without it: 'squeezev at 25.64: ends not the shots' frames').
ROUND20_SOFT_ENDS = {
    ("blaze20", "forest_a20", "squeezev"): (-1, 0),
}
# The round-20 set's camera moves over the whole shot, paths no earlier set has: move -> (the
# picture's size in frames, the window's offset from the centre across in frame widths and
# down in frame heights, expressions of U, the share of the shot gone, and T, its seconds;
# None for the zooms). An orbit (the window on an ellipse, 0.8 of a turn, the picture rolling
# with it by up to 0.08 rad), a crane up (an eased rise of 0.6 heights, bowing sideways), a
# jittery drone drift (a slow diagonal drift, a wander at 0.45-0.6 Hz, an 9-14 Hz buzz of
# 1-1.5 px), a pan left on a speed ramp (fast, slowing to a fifth at mid-shot, fast again), a
# zigzag drift (a triangle wave across, 1.5 periods, drifting down), a dolly zoom (in to 1.45x
# and back out, about a point left of centre) and a spiral in (1x to 1.4x, the window
# circling once).
ROUND20_MOVES = {
    "orbit": (1.6, "0.18*sin(2*PI*0.8*U)", "0.12*(1-cos(2*PI*0.8*U))-0.1"),
    "crane_up": (1.7, "0.06*sin(PI*U)", "0.3-0.6*(1-cos(PI*U))/2"),
    "drone_drift": (
        1.5,
        "0.2*(U-0.5)+0.04*sin(2*PI*0.45*T+0.5)",
        "0.03*sin(2*PI*0.6*T)-0.08*(U-0.5)",
    ),
    "ramp_pan_left": (1.9, "0.4-0.8*(U+0.8*sin(2*PI*U)/(2*PI))", "0"),
    "zigzag_drift": (1.6, "0.22*asin(sin(3*PI*U))/(PI/2)", "0.2*(U-0.5)"),
    "dolly_zoom": (1.6, None, None),
    "spiral_in": (1.6, None, None),
}
# Only in the round-21 held-back set (bench --round21): segments and pictures of the real
# footage no earlier set starts at, within the films' own cuts, fades and titles (see
# REAL_SHOTS_ROUND16's note; cockatoo decoded from its start, DECODE_FROM_START; chaplin inside
# its pillarbox), the ROUND21_SIMILAR pairs overlapping in time (one scene framed apart, a pair
# graded alike: close colours); recoloured in ways of their own (a warm balance, a sepia tone, a
# lifted gamma, a hue turn, a washed-out street) and some played at speeds of their own
# (ROUND21_SPEEDS).
REAL_SHOTS_ROUND21 = {
    "glade_a21": (
        "big_buck_bunny_0_30.webm",
        2.4,
        9.3,
        "crop=iw*0.52:ih*0.62:iw*0.08:ih*0.33,colorbalance=rm=0.05:bm=-0.05",
    ),
    "glade_b21": (
        "big_buck_bunny_0_30.webm",
        2.8,
        8.9,
        "hflip,crop=iw*0.6:ih*0.66:iw*0.3:ih*0.22,colorbalance=rm=0.05:bm=-0.05",
    ),
    "den21": (
        "big_buck_bunny_0_30.webm",
        12.3,
        3.3,
        "crop=iw*0.5:ih*0.6:iw*0.1:ih*0.15,eq=gamma=1.25",
    ),
    "woodland_a21": (
        "big_buck_bunny_0_30.webm",
        16.05,
        6.75,
        "crop=iw*0.55:ih*0.6:iw*0.4:ih*0.05",
    ),
    "woodland_b21": (
        "big_buck_bunny_0_30.webm",
        16.45,
        6.35,
        "hflip,crop=iw*0.62:ih*0.58:iw*0.05:ih*0.3",
    ),
    "walker_a21": ("chaplin.mp4", 0.55, 9.0, "crop=iw*0.48:ih*0.7:iw*0.18:ih*0.12"),
    "walker_b21": ("chaplin.mp4", 1.35, 8.2, "hflip,crop=iw*0.42:ih*0.62:iw*0.36:ih*0.3"),
    "silent21": (
        "chaplin.mp4",
        2.5,
        5.0,
        "crop=iw*0.6:ih*0.8:iw*0.2:ih*0.1"
        ",colorchannelmixer=.393:.769:.189:0:.349:.686:.168:0:.272:.534:.131",
    ),
    "airfield_a21": (
        "video_with_failing_audio.mp4",
        0.4,
        6.7,
        "crop=iw*0.58:ih*0.6:iw*0.05:ih*0.35",
    ),
    "airfield_b21": (
        "video_with_failing_audio.mp4",
        0.7,
        6.4,
        "hflip,crop=iw*0.52:ih*0.62:iw*0.4:ih*0.1",
    ),
    "parrot_a21": ("cockatoo.mp4", 0.15, 7.6, "crop=iw*0.58:ih*0.66:iw*0.22:ih*0.1"),
    "parrot_b21": ("cockatoo.mp4", 0.45, 7.3, "hflip,crop=iw*0.5:ih*0.58:iw*0.35:ih*0.35"),
    "bunnyslow21": (
        "bigbuckbunny.mp4",
        0.25,
        7.0,
        "crop=iw*0.6:ih*0.65:iw*0.15:ih*0.3,hue=h=15:s=1.2",
    ),
    "cab_p21": ("carphone_pristine.mp4", 0.15, 3.8, "crop=iw*0.62:ih*0.68:iw*0.3:ih*0.05"),
    "cab_q21": (
        "carphone_distorted.mp4",
        0.25,
        3.7,
        "hflip,crop=iw*0.66:ih*0.7:iw*0.1:ih*0.25",
    ),
    "lane_a21": ("bikes.mp4", 5.56, 4.6, "crop=iw*0.48:ih*0.82:iw*0.08:ih*0.1"),
    "lane_b21": ("bikes.mp4", 5.64, 4.4, "hflip,crop=iw*0.52:ih*0.78:iw*0.4:ih*0.12"),
    "kerb21": ("bikes.mp4", 1.3, 4.2, "crop=iw*0.5:ih*0.85:iw*0.25:ih*0.05,eq=saturation=0.5"),
}
# Played this many times as fast as filmed, as ROUND14_SPEEDS (the usable seconds are the
# played ones): bikes' street shots at 0.4x (within its shots 1.2-3.04 s and 5.48-7.48 s between
# its published cuts), chaplin sped up to 1.4x, bigbuckbunny slowed to 0.7x.
ROUND21_SPEEDS = {
    "lane_a21": 0.4,
    "lane_b21": 0.4,
    "kerb21": 0.4,
    "silent21": 1.4,
    "bunnyslow21": 0.7,
}
SYNTHETIC_SHOTS_ROUND21 = {
    "smoke21": "perlin=octaves=5:persistence=0.35:xscale=9:yscale=5:tscale=0.6"
    ":random_mode=seed:random_seed=2101",
    "fractal21": "mandelbrot=start_x=0.2925:start_y=0.0149:start_scale=0.1:end_scale=0.015"
    ":inner=mincol",
    "dusk21": "gradients=speed=0.018:type=linear:seed=2103:c0=0x6a3a5c:c1=0xc07a50",
    "life21": "life=ratio=0.45:seed=2104:mold=6:life_color=0x90e0ff:death_color=0x302010",
}
# Pairs of similar-looking shots (one scene framed apart, close colours), each joined by a
# gradual transition in the round-21 set, both moving: the short and long fades and
# dissolves among them.
ROUND21_SIMILAR = (
    ("glade_a21", "glade_b21"),
    ("walker_b21", "walker_a21"),
    ("woodland_a21", "woodland_b21"),
    ("airfield_b21", "airfield_a21"),
    ("parrot_a21", "parrot_b21"),
    ("lane_a21", "lane_b21"),
    ("cab_p21", "cab_q21"),
)
# Frames more to trim at the start and end of a round-21 span, as ROUND20_SOFT_ENDS, measured
# with bench --round21 --check-truth: a frame fewer (-1) where xfade's squeeze already
# resamples the outgoing footage at t = O (as round 19's squeezeh; without it: 'squeezeh at
# 28.32: ends not the shots' frames', frame 708 neither shot).
ROUND21_SOFT_ENDS = {
    ("walker_a21", "fractal21", "squeezeh"): (-1, 0),
}
# The round-21 set's camera moves over the whole shot, paths no earlier set has: move -> (the
# picture's size in frames, the window's offset from the centre across in frame widths and
# down in frame heights, expressions of U, the share of the shot gone, and T, its seconds;
# None where round21_move draws it otherwise). A slow push in (1.15x to 1.5x) with a handheld
# shake (5-9 Hz, 2-3 px), a pan left easing in and out (smootherstep, 0.9 widths, dipping a
# little mid-way), a diagonal drift down and left with a roll (-0.06 to 0.1 rad), a walk
# forward (1.1x to 1.3x, a 2 Hz bob of the steps, a 1 Hz sway), a dolly zoom (the centre held,
# the picture around it stretched outward, more and more), a figure eight (the window on a
# Lissajous path, once round), a crane down while panning right (eased down 0.56 heights,
# steady 0.3 widths across) and a boat's sway (a roll of 0.06 rad and a heave of 0.05 heights
# at 0.3 Hz).
ROUND21_MOVES = {
    "push_shake": (1.3, None, None),
    "ease_pan_left": (2.0, "0.45-0.9*U*U*U*(U*(6*U-15)+10)", "0.06*sin(PI*U)"),
    "drift_roll": (1.5, "0.16-0.32*U", "0.14*(U-0.5)"),
    "walk_forward": (1.3, None, None),
    "vertigo": (1.0, None, None),
    "figure_eight": (1.5, "0.2*sin(2*PI*U)", "0.12*sin(4*PI*U)"),
    "boom_down_right": (1.7, "0.3*(U-0.5)", "0.56*(1-cos(PI*U))/2-0.28"),
    "boat_sway": (1.35, "0.02*sin(2*PI*0.15*T)", "0.05*sin(2*PI*0.3*T+1.2)"),
}
# Only in the round-22 held-back set (bench --round22): segments and pictures of the real
# footage no earlier set starts at, inside the spans round 21 found clear of the films' own
# cuts, fades and titles (cockatoo decoded from its start, DECODE_FROM_START), the
# ROUND22_SIMILAR pairs overlapping in time (one scene framed apart, a pair graded alike:
# close colours); recoloured in ways of their own (a green cast, a harder contrast, a blue
# monochrome, a deeper gamma, a warm street, a faded one) and some played at speeds of their
# own (ROUND22_SPEEDS).
REAL_SHOTS_ROUND22 = {
    "meadow_a22": (
        "big_buck_bunny_0_30.webm",
        2.55,
        9.1,
        "crop=iw*0.56:ih*0.6:iw*0.2:ih*0.3,colorbalance=gs=0.04:bh=-0.05",
    ),
    "meadow_b22": (
        "big_buck_bunny_0_30.webm",
        2.95,
        8.7,
        "hflip,crop=iw*0.5:ih*0.64:iw*0.12:ih*0.2,colorbalance=gs=0.04:bh=-0.05",
    ),
    "burrow22": (
        "big_buck_bunny_0_30.webm",
        12.45,
        3.1,
        "crop=iw*0.55:ih*0.62:iw*0.3:ih*0.2,eq=gamma=0.8:saturation=1.2",
    ),
    "grove_a22": (
        "big_buck_bunny_0_30.webm",
        16.15,
        6.6,
        "crop=iw*0.5:ih*0.58:iw*0.45:ih*0.1,eq=contrast=1.15",
    ),
    "grove_b22": (
        "big_buck_bunny_0_30.webm",
        16.6,
        6.15,
        "hflip,crop=iw*0.58:ih*0.6:iw*0.1:ih*0.25,eq=contrast=1.15",
    ),
    "tramp_a22": ("chaplin.mp4", 0.65, 8.9, "crop=iw*0.46:ih*0.66:iw*0.26:ih*0.16"),
    "tramp_b22": ("chaplin.mp4", 1.45, 8.1, "hflip,crop=iw*0.4:ih*0.6:iw*0.42:ih*0.26"),
    "reel22": (
        "chaplin.mp4",
        2.6,
        5.5,
        "crop=iw*0.58:ih*0.78:iw*0.22:ih*0.12,hue=s=0,colorbalance=bs=0.12:bm=0.08",
    ),
    "hangar_a22": (
        "video_with_failing_audio.mp4",
        0.45,
        6.6,
        "crop=iw*0.55:ih*0.62:iw*0.12:ih*0.3",
    ),
    "hangar_b22": (
        "video_with_failing_audio.mp4",
        0.8,
        6.25,
        "hflip,crop=iw*0.5:ih*0.6:iw*0.42:ih*0.15",
    ),
    "crest_a22": ("cockatoo.mp4", 0.25, 7.45, "crop=iw*0.55:ih*0.62:iw*0.25:ih*0.15"),
    "crest_b22": ("cockatoo.mp4", 0.55, 7.15, "hflip,crop=iw*0.52:ih*0.6:iw*0.3:ih*0.3"),
    "hopslow22": (
        "bigbuckbunny.mp4",
        0.35,
        8.0,
        "crop=iw*0.62:ih*0.6:iw*0.1:ih*0.25,eq=gamma=0.85:saturation=1.3",
    ),
    "caller_p22": ("carphone_pristine.mp4", 0.25, 3.6, "crop=iw*0.6:ih*0.66:iw*0.05:ih*0.2"),
    "caller_q22": (
        "carphone_distorted.mp4",
        0.35,
        3.55,
        "hflip,crop=iw*0.64:ih*0.68:iw*0.25:ih*0.1",
    ),
    "road_a22": (
        "bikes.mp4",
        5.58,
        4.0,
        "crop=iw*0.5:ih*0.8:iw*0.3:ih*0.12,colorbalance=rs=0.08:bs=-0.06",
    ),
    "road_b22": (
        "bikes.mp4",
        5.68,
        3.8,
        "hflip,crop=iw*0.46:ih*0.76:iw*0.1:ih*0.14,colorbalance=rs=0.08:bs=-0.06",
    ),
    "corner22": ("bikes.mp4", 1.28, 3.8, "crop=iw*0.55:ih*0.8:iw*0.2:ih*0.1,eq=saturation=0.6"),
    "ember22": ("fire2.mp4", 0.05, 4.9, "crop=iw*0.6:ih*0.7:iw*0.3:ih*0.15"),
}
# Played this many times as fast as filmed, as ROUND14_SPEEDS (the usable seconds are the
# played ones): bikes' street shots at 0.45x (within its shots 1.2-3.04 s and 5.48-7.48 s
# between its published cuts), fire2's phone footage at 0.45x, chaplin sped up to 1.2x,
# bigbuckbunny slowed to 0.6x.
ROUND22_SPEEDS = {
    "road_a22": 0.45,
    "road_b22": 0.45,
    "corner22": 0.45,
    "ember22": 0.45,
    "reel22": 1.2,
    "hopslow22": 0.6,
}
SYNTHETIC_SHOTS_ROUND22 = {
    "nebula22": "gradients=speed=0.022:type=spiral:seed=2201:nb_colors=4:c0=0x203060"
    ":c1=0x6040a0:c2=0x20a0a0:c3=0x101828",
    "haze22": "perlin=octaves=4:persistence=0.45:xscale=7:yscale=4:tscale=0.9"
    ":random_mode=seed:random_seed=2202",
    "coral22": "mandelbrot=start_x=-0.1011:start_y=0.9563:start_scale=0.05:end_scale=0.01"
    ":inner=black",
    "hive22": "cellauto=rule=105:seed=2204:ratio=0.4",
}
# Pairs of similar-looking shots (one scene framed apart, close colours), each joined by a
# gradual transition in the round-22 set, both moving: the short and long fades and
# dissolves among them.
ROUND22_SIMILAR = (
    ("meadow_a22", "meadow_b22"),
    ("tramp_b22", "tramp_a22"),
    ("road_a22", "road_b22"),
    ("crest_a22", "crest_b22"),
    ("grove_a22", "grove_b22"),
    ("caller_p22", "caller_q22"),
    ("hangar_b22", "hangar_a22"),
)
# Frames more to trim at the start and end of a round-22 span, as ROUND21_SOFT_ENDS, measured
# with bench --round22 --check-truth: a frame fewer (-1) where xfade's squeeze already
# resamples the outgoing footage at t = O (as round 20's squeezev; without it: 'squeezev at
# 30.0: ends not the shots' frames', frame 750 neither shot).
ROUND22_SOFT_ENDS = {
    ("grove_b22", "hive22", "squeezev"): (-1, 0),
}
# The round-22 set's camera moves over the whole shot, paths no earlier set has: move -> (the
# picture's size in frames, the window's offset from the centre across in frame widths and
# down in frame heights, expressions of U, the share of the shot gone, and T, its seconds;
# None where round22_move draws it otherwise). An arc over (right to left, rising 0.16
# heights mid-way), a handheld walk sideways (0.5 widths right, a 1 Hz step bob, 5-7 Hz
# jitter), a rack tilt (up 0.5 heights, fast at first and settling), a slow roll (0 to 0.18
# rad, drifting right), a push in and pull back (1.08x to 1.48x and back), a vertigo orbit (the
# window circling once while it zooms 1.2x to 1.6x), a swinging pan (a damped pendulum, one and
# a half swings) and a drone sinking (down 0.3 heights, eased, swaying at 0.4 Hz).
ROUND22_MOVES = {
    "arc_over": (1.8, "0.35*cos(PI*U)", "0.08-0.16*sin(PI*U)"),
    "crab_walk": (
        1.6,
        "0.5*(U-0.5)+0.008*sin(2*PI*5.3*T)",
        "0.03*abs(sin(2*PI*T))-0.015+0.008*sin(2*PI*7.1*T+1)",
    ),
    "rack_tilt": (1.6, "0.05*sin(PI*U)", "0.25-0.5*(1-pow(1-U,3))"),
    "slow_roll": (1.4, "0.08*(U-0.5)", "0"),
    "push_pull": (1.3, None, None),
    "orbit_zoom": (1.3, None, None),
    "swing_pan": (1.8, "0.32*cos(3*PI*U)*exp(-1.2*U)", "0.03*sin(1.5*PI*U)"),
    "drone_sink": (1.7, "0.05*sin(2*PI*0.4*T)", "0.3*U*U*(3-2*U)-0.15"),
}
# Only in the round-23 held-back set (bench --round23): segments and pictures of the real
# footage no earlier set starts at, inside the spans round 21 found clear of the films' own
# cuts, fades and titles (cockatoo decoded from its start, DECODE_FROM_START), the
# ROUND23_SIMILAR pairs overlapping in time (one scene framed apart, a pair graded alike:
# close colours); recoloured in ways of their own (a cool cast, a paler and brighter one, a
# lifted gamma with more contrast, a harsher contrast, a green monochrome, a warm highlight, a
# richer colour, an orange-teal balance) and some played at speeds of their own
# (ROUND23_SPEEDS).
REAL_SHOTS_ROUND23 = {
    "lawn_a23": (
        "big_buck_bunny_0_30.webm",
        2.45,
        9.15,
        "crop=iw*0.54:ih*0.6:iw*0.16:ih*0.28,colorbalance=rs=-0.04:gs=0.02:bs=0.06",
    ),
    "lawn_b23": (
        "big_buck_bunny_0_30.webm",
        2.85,
        8.75,
        "hflip,crop=iw*0.5:ih*0.62:iw*0.18:ih*0.22,colorbalance=rs=-0.04:gs=0.02:bs=0.06",
    ),
    "hollow23": (
        "big_buck_bunny_0_30.webm",
        12.35,
        3.2,
        "crop=iw*0.52:ih*0.6:iw*0.35:ih*0.25,eq=brightness=0.04:saturation=0.8",
    ),
    "thicket_a23": (
        "big_buck_bunny_0_30.webm",
        16.25,
        6.5,
        "crop=iw*0.52:ih*0.6:iw*0.3:ih*0.12,eq=gamma=1.12:contrast=1.08",
    ),
    "thicket_b23": (
        "big_buck_bunny_0_30.webm",
        16.7,
        6.05,
        "hflip,crop=iw*0.56:ih*0.58:iw*0.15:ih*0.3,eq=gamma=1.12:contrast=1.08",
    ),
    "tramp_c23": (
        "chaplin.mp4",
        0.75,
        8.8,
        "crop=iw*0.44:ih*0.64:iw*0.3:ih*0.18,eq=contrast=1.2:brightness=-0.03",
    ),
    "tramp_d23": (
        "chaplin.mp4",
        1.55,
        8.0,
        "hflip,crop=iw*0.42:ih*0.62:iw*0.38:ih*0.2,eq=contrast=1.2:brightness=-0.03",
    ),
    "flicks23": (
        "chaplin.mp4",
        2.7,
        5.2,
        "crop=iw*0.56:ih*0.76:iw*0.22:ih*0.1,hue=s=0,colorbalance=gs=0.08:gm=0.05",
    ),
    "apron_a23": (
        "video_with_failing_audio.mp4",
        0.55,
        6.5,
        "crop=iw*0.56:ih*0.6:iw*0.2:ih*0.28,colorbalance=rh=0.06:bh=-0.06",
    ),
    "apron_b23": (
        "video_with_failing_audio.mp4",
        0.85,
        6.2,
        "hflip,crop=iw*0.52:ih*0.6:iw*0.3:ih*0.2,colorbalance=rh=0.06:bh=-0.06",
    ),
    "plume_a23": ("cockatoo.mp4", 0.4, 7.3, "crop=iw*0.54:ih*0.6:iw*0.2:ih*0.2,eq=saturation=1.25"),
    "plume_b23": (
        "cockatoo.mp4",
        0.65,
        7.05,
        "hflip,crop=iw*0.5:ih*0.62:iw*0.32:ih*0.25,eq=saturation=1.25",
    ),
    "hop23": (
        "bigbuckbunny.mp4",
        0.45,
        7.4,
        "crop=iw*0.6:ih*0.62:iw*0.2:ih*0.2,colorbalance=rm=0.06:gm=0.03:bm=-0.08",
    ),
    "phone_p23": ("carphone_pristine.mp4", 0.35, 3.5, "crop=iw*0.62:ih*0.64:iw*0.2:ih*0.15"),
    "phone_q23": (
        "carphone_distorted.mp4",
        0.45,
        3.45,
        "hflip,crop=iw*0.6:ih*0.66:iw*0.15:ih*0.2",
    ),
    "avenue_a23": (
        "bikes.mp4",
        5.62,
        5.15,
        "crop=iw*0.52:ih*0.78:iw*0.22:ih*0.1,colorbalance=rs=0.06:bs=-0.08:bh=0.05",
    ),
    "avenue_b23": (
        "bikes.mp4",
        5.66,
        5.05,
        "hflip,crop=iw*0.48:ih*0.8:iw*0.2:ih*0.08,colorbalance=rs=0.06:bs=-0.08:bh=0.05",
    ),
    "junction23": ("bikes.mp4", 1.32, 4.75, "crop=iw*0.56:ih*0.82:iw*0.3:ih*0.08,eq=gamma=1.2"),
    "cinder23": ("fire2.mp4", 0.08, 6.4, "crop=iw*0.62:ih*0.66:iw*0.1:ih*0.2,eq=contrast=1.15"),
}
# Played this many times as fast as filmed, as ROUND14_SPEEDS (the usable seconds are the
# played ones): bikes' street shots at 0.35x (within its shots 1.2-3.04 s and 5.48-7.48 s
# between its published cuts), fire2's phone footage at 0.35x, chaplin sped up to 1.3x,
# bigbuckbunny slowed to 0.65x.
ROUND23_SPEEDS = {
    "avenue_a23": 0.35,
    "avenue_b23": 0.35,
    "junction23": 0.35,
    "cinder23": 0.35,
    "flicks23": 1.3,
    "hop23": 0.65,
}
SYNTHETIC_SHOTS_ROUND23 = {
    "aurora23": "gradients=speed=0.03:type=radial:seed=2301:nb_colors=3:c0=0x103040"
    ":c1=0x40a070:c2=0x8040a0",
    "mist23": "perlin=octaves=3:persistence=0.55:xscale=5:yscale=6:tscale=1.1"
    ":random_mode=seed:random_seed=2302",
    "spiral23": "mandelbrot=start_x=-0.7453:start_y=0.1127:start_scale=0.03:end_scale=0.006"
    ":inner=period",
    "swarm23": "cellauto=rule=150:seed=2303:ratio=0.35",
}
# Pairs of similar-looking shots (one scene framed apart, close colours), each joined by a
# gradual transition in the round-23 set, both moving: the short fade, blurring dissolve and
# dissolve (0.6-0.76 s), a smooth wipe, the long dissolve, slow fade and eased dissolve among
# them (round 22's misses were a 0.52 s fade, a 0.68 s hblur and a 1.16 s smoothright between
# similar moving shots).
ROUND23_SIMILAR = (
    ("lawn_a23", "lawn_b23"),
    ("tramp_d23", "tramp_c23"),
    ("avenue_a23", "avenue_b23"),
    ("plume_a23", "plume_b23"),
    ("thicket_a23", "thicket_b23"),
    ("phone_p23", "phone_q23"),
    ("apron_b23", "apron_a23"),
)
# Frames more to trim at the start and end of a round-23 span, as ROUND22_SOFT_ENDS, measured
# with bench --round23 --check-truth.
ROUND23_SOFT_ENDS: dict[tuple[str, str, str], tuple[int, int]] = {}
# The round-23 set's camera moves over the whole shot, paths no earlier set has: move -> (the
# picture's size in frames, the window's offset from the centre across in frame widths and
# down in frame heights, expressions of U, the share of the shot gone, and T, its seconds;
# None where round23_move draws it otherwise). A pan right that overshoots and settles back
# (a damped spring), a rise swaying sideways (up 0.4 heights, one and a half sways), a pan
# left at a Dutch angle (the picture held at 0.12 rad), a pull back with a handheld shake
# (1.55x to 1.1x), a corkscrew (the window circling twice on a widening spiral), a crane up
# rolling from 0.08 to -0.08 rad, an L-shaped track (right over the first half, then down)
# and a snap zoom (1.05x to 1.5x in the first quarter, then a slow drift right).
ROUND23_MOVES = {
    "overshoot_pan": (1.8, "0.5*(1-exp(-4*U)*cos(2.5*PI*U))-0.25", "0.02*sin(PI*U)"),
    "wave_rise": (1.6, "0.12*sin(3*PI*U)", "0.2-0.4*U"),
    "dutch_pan": (1.8, "0.3-0.6*U", "0.04*sin(PI*U)"),
    "shake_pull": (1.3, None, None),
    "corkscrew": (1.6, "0.25*U*cos(4*PI*U)", "0.25*U*sin(4*PI*U)"),
    "rise_roll": (1.7, "0.03*sin(2*PI*U)", "0.2-0.4*U*U*(3-2*U)"),
    "l_track": (1.7, "0.32*min(2*U,1)-0.16", "0.3*max(2*U-1,0)-0.15"),
    "snap_zoom": (1.3, None, None),
}
# Only in the round-24 held-back set (bench --round24): segments of the real footage no earlier
# set starts at, each inside round 23's own segment (so clear of the films' own cuts, fades
# and titles, as round 21 found them) and ending where it ends, the ROUND24_SIMILAR pairs
# overlapping in time (one scene framed apart, a pair graded alike: close colours);
# recoloured in ways of their own (a warm cast, a muted one, a darker gamma, a magenta cast,
# a sepia monochrome, cool shadows, a lifted one, a green-gold street) and some played at
# speeds of their own (ROUND24_SPEEDS). Rendered at ROUND24_FPS.
REAL_SHOTS_ROUND24 = {
    "lawn_a24": (
        "big_buck_bunny_0_30.webm",
        2.63,
        8.97,
        "crop=iw*0.52:ih*0.62:iw*0.2:ih*0.26,colorbalance=rs=0.05:gs=0.01:bs=-0.05",
    ),
    "lawn_b24": (
        "big_buck_bunny_0_30.webm",
        3.03,
        8.57,
        "hflip,crop=iw*0.54:ih*0.6:iw*0.14:ih*0.24,colorbalance=rs=0.05:gs=0.01:bs=-0.05",
    ),
    "hollow24": (
        "big_buck_bunny_0_30.webm",
        12.43,
        3.12,
        "crop=iw*0.5:ih*0.62:iw*0.33:ih*0.22,eq=saturation=0.65:contrast=1.05",
    ),
    "thicket_a24": (
        "big_buck_bunny_0_30.webm",
        16.4,
        6.35,
        "crop=iw*0.5:ih*0.62:iw*0.32:ih*0.14,eq=gamma=0.88:brightness=0.02",
    ),
    "thicket_b24": (
        "big_buck_bunny_0_30.webm",
        16.85,
        5.9,
        "hflip,crop=iw*0.54:ih*0.6:iw*0.17:ih*0.28,eq=gamma=0.88:brightness=0.02",
    ),
    "tramp_c24": (
        "chaplin.mp4",
        0.93,
        8.62,
        "crop=iw*0.46:ih*0.62:iw*0.28:ih*0.2,colorbalance=rm=0.05:bm=0.05:gm=-0.04",
    ),
    "tramp_d24": (
        "chaplin.mp4",
        1.7,
        7.85,
        "hflip,crop=iw*0.44:ih*0.64:iw*0.36:ih*0.18,colorbalance=rm=0.05:bm=0.05:gm=-0.04",
    ),
    "flicks24": (
        "chaplin.mp4",
        2.9,
        4.9,
        "crop=iw*0.54:ih*0.74:iw*0.24:ih*0.12,hue=s=0,colorbalance=rm=0.08:bm=-0.08",
    ),
    "apron_a24": (
        "video_with_failing_audio.mp4",
        0.73,
        6.32,
        "crop=iw*0.54:ih*0.62:iw*0.22:ih*0.26,colorbalance=bs=0.07:rs=-0.03",
    ),
    "apron_b24": (
        "video_with_failing_audio.mp4",
        1.03,
        6.02,
        "hflip,crop=iw*0.5:ih*0.62:iw*0.28:ih*0.22,colorbalance=bs=0.07:rs=-0.03",
    ),
    "plume_a24": (
        "cockatoo.mp4",
        0.58,
        7.12,
        "crop=iw*0.52:ih*0.62:iw*0.22:ih*0.22,eq=brightness=0.05:gamma=1.08",
    ),
    "plume_b24": (
        "cockatoo.mp4",
        0.83,
        6.87,
        "hflip,crop=iw*0.52:ih*0.6:iw*0.3:ih*0.24,eq=brightness=0.05:gamma=1.08",
    ),
    "hop24": (
        "bigbuckbunny.mp4",
        0.63,
        7.97,
        "crop=iw*0.58:ih*0.64:iw*0.22:ih*0.18,colorbalance=rs=0.04:gs=0.05:bs=-0.06",
    ),
    "phone_p24": ("carphone_pristine.mp4", 0.5, 3.35, "crop=iw*0.6:ih*0.66:iw*0.22:ih*0.14"),
    "phone_q24": (
        "carphone_distorted.mp4",
        0.63,
        3.27,
        "hflip,crop=iw*0.62:ih*0.64:iw*0.14:ih*0.18",
    ),
    "avenue_a24": (
        "bikes.mp4",
        5.7,
        5.8,
        "crop=iw*0.5:ih*0.8:iw*0.24:ih*0.08,colorbalance=gs=0.05:rh=0.05:bh=-0.06",
    ),
    "avenue_b24": (
        "bikes.mp4",
        5.75,
        5.6,
        "hflip,crop=iw*0.5:ih*0.78:iw*0.22:ih*0.1,colorbalance=gs=0.05:rh=0.05:bh=-0.06",
    ),
    "junction24": ("bikes.mp4", 1.4, 5.3, "crop=iw*0.54:ih*0.8:iw*0.28:ih*0.1,eq=gamma=0.85"),
    "cinder24": ("fire2.mp4", 0.12, 7.0, "crop=iw*0.6:ih*0.64:iw*0.12:ih*0.22,eq=saturation=1.2"),
}
# Played this many times as fast as filmed, as ROUND14_SPEEDS (the usable seconds are the
# played ones): bikes' street shots at 0.3x (within its shots 1.2-3.04 s and 5.48-7.48 s
# between its published cuts), fire2's phone footage at 0.3x, chaplin sped up to 1.35x,
# bigbuckbunny slowed to 0.55x.
ROUND24_SPEEDS = {
    "avenue_a24": 0.3,
    "avenue_b24": 0.3,
    "junction24": 0.3,
    "cinder24": 0.3,
    "flicks24": 1.35,
    "hop24": 0.55,
}
SYNTHETIC_SHOTS_ROUND24 = {
    "aurora24": "gradients=speed=0.028:type=square:seed=2401:nb_colors=3:c0=0x402010"
    ":c1=0x30a0a0:c2=0xa06030",
    "mist24": "perlin=octaves=4:persistence=0.5:xscale=4:yscale=7:tscale=0.9"
    ":random_mode=seed:random_seed=2402",
    "spiral24": "mandelbrot=start_x=-0.7436:start_y=0.1318:start_scale=0.025:end_scale=0.005"
    ":inner=period",
    "swarm24": "cellauto=rule=105:seed=2404:ratio=0.4",
}
# Pairs of similar-looking shots (one scene framed apart, close colours), each joined by a
# gradual transition in the round-24 set, both moving: a 0.7 s fade, blurring dissolve and
# dissolve, a 0.9 s smooth wipe, a 1.7 s eased dissolve, a 1.9 s dissolve and slow fade.
ROUND24_SIMILAR = (
    ("lawn_a24", "lawn_b24"),
    ("tramp_d24", "tramp_c24"),
    ("avenue_a24", "avenue_b24"),
    ("plume_a24", "plume_b24"),
    ("thicket_a24", "thicket_b24"),
    ("phone_p24", "phone_q24"),
    ("apron_b24", "apron_a24"),
)
# Frames more to trim at the start and end of a round-24 span, as ROUND22_SOFT_ENDS, measured
# with bench --round24 --check-truth: the squeeze's first frame already differs (as rounds
# 18, 20 and 22 found).
ROUND24_SOFT_ENDS = {("tramp_c24", "mist24", "squeezev"): (-1, 0)}
# Round 24 has no moves of its own: its shots move on earlier rounds' paths, in a mix of its own.
ROUND24_MOVES: dict[str, tuple] = {}
# Round 24's frame rate, no earlier set's (every other set renders at 25 fps): its durations
# and shot lengths are whole frames at 30 fps (multiples of 0.1 s: 3 frames) that are none at
# 25 fps, so no earlier set had them.
ROUND24_FPS = 30
# Only in the round-25 held-back set (bench --round25): the stretches of the real footage
# earlier sets read least (cockatoo after its whip and blur, 9-13.9 s: 3 earlier segments;
# big_buck_bunny_0_30's shot at 11.8-15.7 s and its first 1.6 s after the 22.96 s cut, before
# the titles: 4-12; bikes' shots at 3.04-5.48 s and 7.48-9.68 s: 1-5 each, where other files'
# seconds were read by up to 36), at starts and ends no earlier segment has, in pictures of
# their own; the ROUND25_SIMILAR pairs one scene framed apart or one film's two shots graded
# alike (close colours): a cool street, a faded green, a warm dusk. Rendered at ROUND25_FPS,
# played at speeds no earlier set has (ROUND25_SPEEDS).
REAL_SHOTS_ROUND25 = {
    "lane_a25": (
        "bikes.mp4",
        7.54,
        8.3,
        "crop=iw*0.46:ih*0.74:iw*0.4:ih*0.2,colorbalance=rs=-0.04:bs=0.06:rm=-0.02,eq=gamma=0.94",
    ),
    "lane_b25": (
        "bikes.mp4",
        7.59,
        8.05,
        "hflip,crop=iw*0.5:ih*0.7:iw*0.1:ih*0.16,"
        "colorbalance=rs=-0.04:bs=0.06:rm=-0.02,eq=gamma=0.94",
    ),
    "kerb25": (
        "bikes.mp4",
        3.14,
        9.0,
        "crop=iw*0.48:ih*0.76:iw*0.46:ih*0.12,colorbalance=rs=-0.04:bs=0.06:rm=-0.02,eq=gamma=0.94",
    ),
    "perch_a25": (
        "cockatoo.mp4",
        9.05,
        5.3,
        "crop=iw*0.44:ih*0.56:iw*0.06:ih*0.1,eq=contrast=1.1:saturation=0.8,colorbalance=gh=0.04",
    ),
    "perch_b25": (
        "cockatoo.mp4",
        9.3,
        5.05,
        "hflip,crop=iw*0.5:ih*0.6:iw*0.44:ih*0.34,"
        "eq=contrast=1.1:saturation=0.8,colorbalance=gh=0.04",
    ),
    "perch_c25": (
        "cockatoo.mp4",
        10.9,
        3.25,
        "crop=iw*0.4:ih*0.5:iw*0.3:ih*0.42,eq=contrast=1.1:saturation=0.8,colorbalance=gh=0.04",
    ),
    "burrow_a25": (
        "big_buck_bunny_0_30.webm",
        11.88,
        4.3,
        "crop=iw*0.48:ih*0.6:iw*0.5:ih*0.04,colorbalance=rh=0.06:bh=-0.05,eq=gamma=0.95",
    ),
    "burrow_b25": (
        "big_buck_bunny_0_30.webm",
        11.98,
        4.15,
        "hflip,crop=iw*0.44:ih*0.56:iw*0.06:ih*0.4,colorbalance=rh=0.06:bh=-0.05,eq=gamma=0.95",
    ),
    "glade25": (
        "big_buck_bunny_0_30.webm",
        23.02,
        6.2,
        "crop=iw*0.5:ih*0.62:iw*0.04:ih*0.3,colorbalance=rh=0.06:bh=-0.05,eq=gamma=0.95",
    ),
}
# Played this many times as fast as filmed, as ROUND14_SPEEDS (the usable seconds are the
# played ones): bikes' street shots and the film's shot after its last cut at 0.25x, the film's
# burrow at 0.85x, cockatoo at 0.9x.
ROUND25_SPEEDS = {
    **dict.fromkeys(("lane_a25", "lane_b25", "kerb25", "glade25"), 0.25),
    **dict.fromkeys(("burrow_a25", "burrow_b25"), 0.85),
    **dict.fromkeys(("perch_a25", "perch_b25", "perch_c25"), 0.9),
}
SYNTHETIC_SHOTS_ROUND25 = {
    "dunes25": "gradients=speed=0.019:type=radial:seed=2501:nb_colors=3:c0=0x6a4a2a"
    ":c1=0xb08858:c2=0x40607a",
    "cells25": "cellauto=rule=90:seed=2502:ratio=0.35",
    "smoke25": "perlin=octaves=5:persistence=0.45:xscale=5:yscale=3:tscale=0.6"
    ":random_mode=seed:random_seed=2503",
    "swirl25": "mandelbrot=start_x=-0.1011:start_y=0.9563:start_scale=0.05:end_scale=0.012"
    ":inner=mincol",
}
# Pairs of similar-looking shots (close colours), each joined by a gradual transition in the
# round-25 set, both moving: a 0.625 s fade and dissolve, a 0.875 s luma dissolve, a 1.125 s
# ripple and film-burn dissolve, a 1.375 s blurring dissolve (hblur), a 1.875 s dissolve.
ROUND25_SIMILAR = (
    ("lane_a25", "lane_b25"),
    ("perch_a25", "perch_b25"),
    ("perch_b25", "perch_c25"),
    ("burrow_a25", "burrow_b25"),
    ("kerb25", "lane_a25"),
    ("lane_b25", "kerb25"),
    ("glade25", "burrow_a25"),
)
# Frames more to trim at the start and end of a round-25 span, as ROUND22_SOFT_ENDS, measured
# with bench --round25 --check-truth: the squeeze's first frame already differs (as rounds 18,
# 20, 22 and 24 found for squeezev), and the zoom in zooms the outgoing picture from its first
# frame on, which a plain colour (xfade_blend_frames) does not show: its span starts at O.
ROUND25_SOFT_ENDS = {
    ("smoke25", "lane_b25", "squeezeh"): (-1, 0),
    ("lane_a25", "dunes25", "zoomin"): (-16, 0),
}
# Round 25 has no moves of its own: its shots move on earlier rounds' paths, in a mix of its own.
ROUND25_MOVES: dict[str, tuple] = {}
# Round 25's frame rate, film's, no earlier set's (25 fps, round 24's 30 fps): its durations
# are whole frames at 24 fps in eighths of a second (3 frames) that are none at 25 or 30 fps
# (0.625, 0.875, 1.125, 1.375, 1.625 and 1.875 s), its shots whole quarters (6 frames).
ROUND25_FPS = 24
# Only in the round-26 held-back set (bench --round26): bikes' first shot (0-1.2 s), which no
# earlier segment read, its second and third shots (1.2-5.48 s: up to 5 earlier segments) and
# cockatoo after its whip and blur (10.7-13.86 s: up to 6), at starts and ends no earlier
# segment has, in grades of their own; the ROUND26_SIMILAR pairs one scene framed apart or
# one file's shots graded alike (close colours): a cold night street, a warm faded perch.
# Rendered at ROUND26_FPS, played at speeds no earlier set has (ROUND26_SPEEDS).
REAL_SHOTS_ROUND26 = {
    "yard_a26": (
        "bikes.mp4",
        0.06,
        5.4,
        "crop=iw*0.52:ih*0.7:iw*0.06:ih*0.22,colorbalance=rs=-0.06:bs=0.08:bm=0.04,"
        "eq=brightness=-0.04:saturation=0.7",
    ),
    "yard_b26": (
        "bikes.mp4",
        0.1,
        5.1,
        "hflip,crop=iw*0.46:ih*0.66:iw*0.3:ih*0.08,colorbalance=rs=-0.06:bs=0.08:bm=0.04,"
        "eq=brightness=-0.04:saturation=0.7",
    ),
    "alley26": (
        "bikes.mp4",
        1.31,
        8.5,
        "crop=iw*0.5:ih*0.72:iw*0.44:ih*0.18,colorbalance=rs=-0.06:bs=0.08:bm=0.04,"
        "eq=brightness=-0.04:saturation=0.7",
    ),
    "kerb26": (
        "bikes.mp4",
        3.22,
        10.8,
        "hflip,crop=iw*0.54:ih*0.74:iw*0.12:ih*0.2,colorbalance=rs=-0.06:bs=0.08:bm=0.04,"
        "eq=brightness=-0.04:saturation=0.7",
    ),
    "roost_a26": (
        "cockatoo.mp4",
        9.12,
        8.15,
        "crop=iw*0.5:ih*0.6:iw*0.24:ih*0.06,eq=saturation=0.75:gamma=1.06,"
        "colorbalance=rm=0.06:bm=-0.05",
    ),
    "roost_b26": (
        "cockatoo.mp4",
        9.4,
        7.6,
        "hflip,crop=iw*0.42:ih*0.54:iw*0.5:ih*0.2,eq=saturation=0.75:gamma=1.06,"
        "colorbalance=rm=0.06:bm=-0.05",
    ),
    "roost_c26": (
        "cockatoo.mp4",
        10.7,
        5.3,
        "crop=iw*0.46:ih*0.52:iw*0.1:ih*0.44,eq=saturation=0.75:gamma=1.06,"
        "colorbalance=rm=0.06:bm=-0.05",
    ),
}
# Played this many times as fast as filmed, as ROUND14_SPEEDS (the usable seconds are the
# played ones): bikes' street shots at 0.2x, cockatoo at 0.58x.
ROUND26_SPEEDS = {
    **dict.fromkeys(("yard_a26", "yard_b26", "alley26", "kerb26"), 0.2),
    **dict.fromkeys(("roost_a26", "roost_b26", "roost_c26"), 0.58),
}
SYNTHETIC_SHOTS_ROUND26 = {
    "sands26": "gradients=speed=0.023:type=linear:seed=2601:nb_colors=3:c0=0x7a5a32"
    ":c1=0xc8a070:c2=0x30506a",
    "cells26": "cellauto=rule=30:seed=2602:ratio=0.4",
    "mist26": "perlin=octaves=4:persistence=0.55:xscale=4:yscale=2:tscale=0.7"
    ":random_mode=seed:random_seed=2603",
    "fractal26": "mandelbrot=start_x=-0.7436:start_y=0.1318:start_scale=0.04:end_scale=0.008"
    ":inner=period",
}
# Pairs of similar-looking shots (close colours), each joined by a gradual transition in the
# round-26 set, both moving: a 0.85 s fade, a 0.55 s hblur and dissolve, a 1.05 s luma
# dissolve, a 1.35 s ripple, a 1.65 s distance dissolve, a 1.95 s dissolve.
ROUND26_SIMILAR = (
    ("yard_a26", "yard_b26"),
    ("yard_b26", "alley26"),
    ("alley26", "kerb26"),
    ("roost_a26", "roost_b26"),
    ("roost_b26", "roost_c26"),
    ("kerb26", "yard_a26"),
    ("roost_c26", "roost_a26"),
)
# Frames more to trim at the start and end of a round-26 span, as ROUND22_SOFT_ENDS, measured
# with bench --round26 --check-truth.
ROUND26_SOFT_ENDS: dict[tuple, tuple[int, int]] = {}
# Round 26 has no moves of its own: its shots move on earlier rounds' paths, in a mix of its own.
ROUND26_MOVES: dict[str, tuple] = {}
# Round 26's frame rate, no earlier set's (25 fps, round 24's 30, round 25's 24): its durations
# are whole frames at 20 fps in odd twentieths of a second that are none at 24, 25 or 30 fps
# (0.55, 0.85, 1.05, 1.35, 1.65 and 1.95 s), its shots whole frames.
ROUND26_FPS = 20
# Only in the round-27 held-back set (bench --round27): cockatoo from just after its whip
# (7.96 s: its seconds 7.75-8.8 s, its own slow refocus out of the whip's blur, no earlier
# segment read) to its end, and bikes' second, fourth and fifth shots (1.2-3.04, 5.48-7.48
# and 7.48-9.68 s: up to 6, 11 and 6 earlier segments), at starts and ends no earlier segment
# has, in grades of their own; the ROUND27_SIMILAR pairs one scene framed apart or one file's
# shots graded alike (close colours): a cool morning perch, a sodium-lit street. Rendered at
# ROUND27_FPS, played at speeds no earlier set has (ROUND27_SPEEDS).
_MORNING = "eq=saturation=0.82:contrast=1.06,colorbalance=bs=0.05:bm=0.03:rh=-0.03"
_SODIUM = "colorbalance=rs=0.05:gs=0.03:bs=-0.07:gm=0.02,eq=gamma=1.05:saturation=0.78"
REAL_SHOTS_ROUND27 = {
    "focus_a27": ("cockatoo.mp4", 7.96, 14.2, f"crop=iw*0.5:ih*0.62:iw*0.2:ih*0.14,{_MORNING}"),
    "focus_b27": (
        "cockatoo.mp4",
        8.03,
        13.5,
        f"hflip,crop=iw*0.46:ih*0.58:iw*0.36:ih*0.3,{_MORNING}",
    ),
    "crest27": ("cockatoo.mp4", 10.43, 8.4, f"crop=iw*0.42:ih*0.56:iw*0.48:ih*0.08,{_MORNING}"),
    "gate27": ("bikes.mp4", 1.25, 6.2, f"crop=iw*0.52:ih*0.7:iw*0.08:ih*0.24,{_SODIUM}"),
    "ride_a27": ("bikes.mp4", 5.53, 6.7, f"crop=iw*0.5:ih*0.72:iw*0.26:ih*0.1,{_SODIUM}"),
    "ride_b27": ("bikes.mp4", 5.57, 6.6, f"hflip,crop=iw*0.48:ih*0.68:iw*0.4:ih*0.2,{_SODIUM}"),
    "lane27": ("bikes.mp4", 7.55, 7.3, f"crop=iw*0.54:ih*0.74:iw*0.38:ih*0.16,{_SODIUM}"),
}
# Played this many times as fast as filmed, as ROUND14_SPEEDS (the usable seconds are the
# played ones): bikes' street shots at 0.28x, cockatoo at 0.42x.
ROUND27_SPEEDS = {
    **dict.fromkeys(("gate27", "ride_a27", "ride_b27", "lane27"), 0.28),
    **dict.fromkeys(("focus_a27", "focus_b27", "crest27"), 0.42),
}
SYNTHETIC_SHOTS_ROUND27 = {
    "zone27": "zoneplate=kx2=22:ky2=30:kt=3",
    "spiral27": "gradients=speed=0.017:type=spiral:seed=2702:nb_colors=3:c0=0x2a6a5a"
    ":c1=0xd0b070:c2=0x6a3050",
    "noise27": "perlin=octaves=3:persistence=0.6:xscale=6:yscale=5:tscale=0.9"
    ":random_mode=seed:random_seed=2703",
    "tri27": "sierpinski=type=triangle:seed=2704",
}
# Pairs of similar-looking shots (close colours), each joined by a soft gradual transition in
# the round-27 set, both moving: a 0.62 s hblur and dissolve, a 0.86 s blurring dissolve, a
# 1.14 s hazy dissolve, a 1.38 s dissolve, a 1.66 s eased dissolve, a 1.94 s fade.
ROUND27_SIMILAR = (
    ("focus_a27", "focus_b27"),
    ("focus_b27", "crest27"),
    ("crest27", "focus_a27"),
    ("ride_a27", "ride_b27"),
    ("ride_b27", "lane27"),
    ("lane27", "gate27"),
    ("gate27", "ride_a27"),
)
# Frames more to trim at the start and end of a round-27 span, as ROUND22_SOFT_ENDS, measured
# with bench --round27 --check-truth: the squeeze's first frame already differs (as rounds 18,
# 20, 22 and 24 found); the rest end a frame or two before O + D, the outgoing shot's last
# frames (read slowed from its footage, or drawn) already given way to the incoming one's.
ROUND27_SOFT_ENDS = {
    ("focus_a27", "focus_b27", "hblur"): (0, 1),
    ("focus_b27", "crest27", "blurdissolve"): (0, 2),
    ("zone27", "ride_a27", "softclock"): (0, 1),
    ("focus_a27", "tri27", "pushdown"): (0, 2),
    ("crest27", "tri27", "squeezev"): (-1, 0),
    ("crest27", "ride_b27", "revealleft"): (0, 1),
}
# Round 27 has no moves of its own: its shots move on earlier rounds' paths, in a mix of its own.
ROUND27_MOVES: dict[str, tuple] = {}
# Round 27's frame rate, no earlier set's (25 fps, round 24's 30, round 25's 24, round 26's 20):
# 50 fps, broadcast HD's progressive rate, a whole number the renderer writes exactly (its
# time base 1/50, every frame at a whole fiftieth, times to 4 places); NTSC's 30000/1001 would
# put frames at times no 4-place truth holds. Its durations are whole frames at 50 fps in odd
# fiftieths of a second that are none at 20, 24, 25 or 30 fps (0.62, 0.86, 1.14, 1.38, 1.66 and
# 1.94 s), its shots whole frames; each step of a fade is half a 25-fps one's.
ROUND27_FPS = 50
# Only in the round-28 held-back set (bench --round28): the stretches of the real footage
# earlier segments read least: bikes' first shot (0-1.2 s: up to 2 earlier segments, its first
# 0.06 s none) and its third (3.04-5.48 s: 1-6), and big_buck_bunny_0_30's shot after its last
# cut, before the titles (23-24.6 s: up to 8), where other seconds of the same files were read
# by up to 36, at starts and ends no earlier segment has, in grades of their own; the
# ROUND28_SIMILAR pairs one scene framed apart or one file's shots graded alike (close
# colours): a pink dawn street, an evening glow. Rendered at ROUND28_FPS, played at speeds no
# earlier set has (ROUND28_SPEEDS).
_DAWN = "colorbalance=rs=0.04:bs=0.02:rh=0.05:bh=-0.03,eq=gamma=1.08:saturation=0.74"
_GLOW = "colorbalance=rm=0.05:gm=-0.02:bm=-0.06,eq=contrast=0.94:saturation=0.86"
REAL_SHOTS_ROUND28 = {
    "dawn_a28": ("bikes.mp4", 0.02, 6.25, f"crop=iw*0.5:ih*0.7:iw*0.14:ih*0.16,{_DAWN}"),
    "dawn_b28": ("bikes.mp4", 0.04, 6.1, f"hflip,crop=iw*0.46:ih*0.66:iw*0.42:ih*0.26,{_DAWN}"),
    "kerb28": ("bikes.mp4", 3.09, 12.0, f"crop=iw*0.52:ih*0.72:iw*0.3:ih*0.06,{_DAWN}"),
    "verge28": ("bikes.mp4", 3.11, 11.9, f"hflip,crop=iw*0.48:ih*0.7:iw*0.04:ih*0.22,{_DAWN}"),
    "glow_a28": (
        "big_buck_bunny_0_30.webm",
        23.01,
        8.3,
        f"crop=iw*0.5:ih*0.64:iw*0.3:ih*0.18,{_GLOW}",
    ),
    "glow_b28": (
        "big_buck_bunny_0_30.webm",
        23.06,
        8.0,
        f"hflip,crop=iw*0.46:ih*0.6:iw*0.08:ih*0.3,{_GLOW}",
    ),
    "glow_c28": (
        "big_buck_bunny_0_30.webm",
        23.09,
        7.9,
        f"crop=iw*0.52:ih*0.66:iw*0.2:ih*0.12,{_GLOW}",
    ),
}
# Played this many times as fast as filmed, as ROUND14_SPEEDS (the usable seconds are the
# played ones): bikes' street shots at 0.18x, the film's at 0.19x.
ROUND28_SPEEDS = {
    **dict.fromkeys(("dawn_a28", "dawn_b28", "kerb28", "verge28"), 0.18),
    **dict.fromkeys(("glow_a28", "glow_b28", "glow_c28"), 0.19),
}
SYNTHETIC_SHOTS_ROUND28 = {
    "dusk28": "gradients=speed=0.021:type=circular:seed=2801:nb_colors=3:c0=0x5a3a62"
    ":c1=0xd09a6a:c2=0x2a5a6a",
    "rule28": "cellauto=rule=126:seed=2802:ratio=0.3",
    "lava28": "perlin=octaves=6:persistence=0.4:xscale=3:yscale=4:tscale=1.3"
    ":random_mode=seed:random_seed=2803",
    "colony28": "life=ratio=0.3:seed=2804:mold=10:life_color=0xf0c060:death_color=0x102030"
    ":mold_color=0x406080",
}
# Pairs of similar-looking shots (close colours), each joined by a soft gradual transition in
# the round-28 set, both moving: a 0.6875 s dissolve and hblur, a 0.8125 s eased dissolve, a
# 1.0625 s mosaic dissolve, a 1.3125 s dissolve, a 1.5625 s luma dissolve, a 1.8125 s fade.
ROUND28_SIMILAR = (
    ("dawn_a28", "dawn_b28"),
    ("dawn_b28", "kerb28"),
    ("kerb28", "verge28"),
    ("verge28", "dawn_a28"),
    ("glow_a28", "glow_b28"),
    ("glow_b28", "glow_c28"),
    ("glow_c28", "glow_a28"),
)
# Frames more to trim at the start and end of a round-28 span, as ROUND22_SOFT_ENDS, measured
# with bench --round28 --check-truth: the squeeze's first frame already differs (as rounds 18
# to 22, 24, 25 and 27 found); every other span, its four new kinds' among them, holds
# the frames that blend as xfade_blend_frames finds them.
ROUND28_SOFT_ENDS = {("verge28", "colony28", "squeezeh"): (-1, 0)}
# Round 28 has no moves of its own: its shots move on earlier rounds' paths, in a mix of its own.
ROUND28_MOVES: dict[str, tuple] = {}
# Round 28's frame rate, no earlier set's (25 fps, round 24's 30, round 25's 24, round 26's 20,
# round 27's 50): 48 fps, high-frame-rate film's, a whole number the renderer writes exactly.
# A 48th of a second has no 4-place decimal, but three of them (a sixteenth, 0.0625 s) do: its
# shots and durations are whole sixteenths, so every cut, shot and transition offset is exact
# in the truth's 4 places (a span trimmed by a blend frame or two rounds within 0.00005 s of
# its frame); its durations are odd sixteenths, whole frames at 48 fps that are none at 20,
# 24, 25, 30 or 50 fps (0.6875, 0.8125, 1.0625, 1.3125, 1.5625 and 1.8125 s: 33-87 frames).
ROUND28_FPS = 48
# Only in the round-29 held-back set (bench --round29): stretches of the real footage earlier
# segments read little: bikes' fifth shot (7.48-9.68 s: up to 7 earlier segments) and cockatoo
# from its whip (7.79 s: its first 0.17 s read by none, the rest by up to 9), at starts and
# ends no earlier segment has, in grades of their own; the ROUND29_SIMILAR pairs one scene
# framed apart or one file's shots graded alike (close colours): a hard noon street, a sage
# green aviary. Rendered at ROUND29_FPS, played at speeds no earlier set has (ROUND29_SPEEDS).
_NOON = "colorbalance=rh=0.04:gh=0.02:bh=-0.05,eq=contrast=1.1:saturation=0.82"
_SAGE = "colorbalance=rs=-0.03:gs=0.04:bm=-0.03,eq=gamma=0.95:saturation=0.7"
REAL_SHOTS_ROUND29 = {
    "noon_a29": ("bikes.mp4", 7.535, 12.5, f"crop=iw*0.5:ih*0.68:iw*0.22:ih*0.2,{_NOON}"),
    "noon_b29": ("bikes.mp4", 7.565, 12.3, f"hflip,crop=iw*0.46:ih*0.7:iw*0.36:ih*0.1,{_NOON}"),
    "alley29": ("bikes.mp4", 7.61, 12.0, f"crop=iw*0.54:ih*0.66:iw*0.06:ih*0.3,{_NOON}"),
    "curb29": ("bikes.mp4", 7.585, 12.2, f"hflip,crop=iw*0.5:ih*0.72:iw*0.18:ih*0.04,{_NOON}"),
    "sage_a29": ("cockatoo.mp4", 7.79, 9.5, f"crop=iw*0.52:ih*0.7:iw*0.24:ih*0.12,{_SAGE}"),
    "sage_b29": ("cockatoo.mp4", 7.83, 9.4, f"hflip,crop=iw*0.48:ih*0.66:iw*0.3:ih*0.2,{_SAGE}"),
    "sage_c29": ("cockatoo.mp4", 7.86, 9.2, f"crop=iw*0.5:ih*0.64:iw*0.08:ih*0.28,{_SAGE}"),
}
# Played this many times as fast as filmed, as ROUND14_SPEEDS (the usable seconds are the
# played ones): bikes' street shots at 0.16x, cockatoo's at 0.17x.
ROUND29_SPEEDS = {
    **dict.fromkeys(("noon_a29", "noon_b29", "alley29", "curb29"), 0.16),
    **dict.fromkeys(("sage_a29", "sage_b29", "sage_c29"), 0.17),
}
SYNTHETIC_SHOTS_ROUND29 = {
    "tide29": "gradients=speed=0.013:type=spiral:seed=2901:nb_colors=4:c0=0x1e4a5a"
    ":c1=0x7ab8a0:c2=0xe0d8a0:c3=0x3a2a50",
    "carpet29": "sierpinski=seed=2902:jump=37:type=carpet",
    "fractal29": "mandelbrot=start_x=-0.7436:start_y=0.1318:start_scale=0.06:end_scale=0.015"
    ":end_pts=600:maxiter=200",
    "ember29": "perlin=octaves=4:persistence=0.55:xscale=5:yscale=2:tscale=2.1"
    ":random_mode=seed:random_seed=2904",
}
# Pairs of similar-looking shots (close colours), each joined by a soft gradual transition in
# the round-29 set, both moving: 43-frame (0.7167 s) dissolve and hblur, a 53-frame eased
# dissolve, a 67-frame channel-staggered dissolve, a 79-frame dissolve, a 97-frame swirl
# dissolve, a 113-frame fade.
ROUND29_SIMILAR = (
    ("noon_a29", "noon_b29"),
    ("noon_b29", "alley29"),
    ("alley29", "curb29"),
    ("curb29", "noon_a29"),
    ("sage_a29", "sage_b29"),
    ("sage_b29", "sage_c29"),
    ("sage_c29", "sage_a29"),
)
# Frames more to trim at the start and end of a round-29 span, as ROUND22_SOFT_ENDS, measured
# with bench --round29 --check-truth: the fade through grey into Perlin noise, grey already,
# shows the incoming picture itself in its last 8 frames, as the reveal into the Mandelbrot
# zoom does; the vertical squeeze's first frame already differs (as the horizontal one's did
# in rounds 18 to 22, 24, 25, 27 and 28).
ROUND29_SOFT_ENDS = {
    ("sage_c29", "ember29", "fadegrays"): (0, 8),
    ("sage_c29", "fractal29", "revealleft"): (0, 8),
    ("noon_b29", "fractal29", "squeezev"): (-1, 0),
}
# Round 29 has no moves of its own: its shots move on earlier rounds' paths, in a mix of its own.
ROUND29_MOVES: dict[str, tuple] = {}
# Round 29's frame rate, no earlier set's (25 fps, round 24's 30, round 25's 24, round 26's 20,
# round 27's 50, round 28's 48): 60 fps, phones' and games' rate. Its durations are whole
# frames at 60 that are none at 20, 24, 25, 30, 48 or 50 fps (odd counts of frames no multiple
# of 3 or 5: 43, 53, 67, 79, 97 and 113 frames, 0.7167-1.8833 s); such a 60th has no 4-place
# decimal, so a plan holds them as fractions (43 / 60) and the truth's times round within
# 0.00005 s of their frames, as round 24's thirtieths did; its shots are whole twentieths (3
# frames) and each video's durations before its cut and in all sum to whole twentieths too, so
# its cuts and lengths stay exact.
ROUND29_FPS = 60
# The footage's own gradual changes, measured frame by frame (mean luma, a 32-bin luma
# histogram and the mean change from the frame before):
# file -> (last frame before the change or None from the file's start, first frame after it
# or None to the file's end, in the file's seconds; what; the region of the picture it
# changes, fractions x0, y0, x1, y1). A shot showing any of its frames holds a `source_fade`
# transition (render puts it in the truth where its picture shows the region). Not fades:
# big_buck_bunny_0_30's first title pops in at 20.38 s (in one frame) and its bird flies off
# at 20.75 s; bikes' ramps are pans; cockatoo's blur from 7.8 s is a whip. Nor are its titles
# fading in at 24.63-26.21 s (region mean 82 -> 173) and out from 28.46 s over the shot that
# goes on: text laid over one shot, which OCR judges (`text_overlay`), not a change of shot.
SOURCE_FADES = {
    "big_buck_bunny_0_30.webm": (
        (0.170, 2.045, "fade in from black", (0.0, 0.0, 1.0, 1.0)),  # luma 0 -> 218
    ),
    "video_with_failing_audio.mp4": (
        (7.160, None, "fade to black", (0.0, 0.0, 1.0, 1.0)),  # luma 182 -> 2 at 11.16 s
    ),
    "doc_medias_example3.mp4": (  # out of a shot into grey by 0.125 s, held, in out of it
        (None, 1.458, "fade through grey", (0.0, 0.0, 1.0, 1.0)),  # luma 106, 135, 101
    ),
}
# xfade kinds whose first or last frames of a span may blend nothing (a mask of the frame
# whose edge is off the picture): their spans are trimmed to the frames that blend
# (xfade_blend_frames). Measured on lossless renders of every built-in kind the sets use
# (BLEND_PROBES at 320x180), frames left unchanged at the start and end of 0.5/1/2 s:
# circleopen and circleclose 2/4/8 at each end, radial 1/2/5 at the start, the slices 0-3 at
# the start and 1-5 at the end; no other kind but zoomin, circlecrop and rectcrop, and those
# only on a plain picture (they move the picture: not these).
XFADE_UNCHANGED_ENDS = (
    *("circleopen", "circleclose", "radial", "hlslice", "hrslice", "vuslice", "vdslice"),
)
# Pairs of plain colours whose every plane differs most, one plane each: xfade masks the
# chroma planes at their own (half) size, so a frame may blend in one plane only.
BLEND_PROBES = (
    ("black", "white", "gray"),
    ("blue", "yellow", "yuv420p"),
    ("red", "cyan", "yuv420p"),
)


@functools.cache
def xfade_blend_frames(
    kind: str, duration_s: float, width: int, height: int, fps: int, ends: bool = False
):
    """How many frames after a span's start and before its end xfade `kind` leaves as the
    outgoing or incoming shot: frames that blend in no plane of any BLEND_PROBES pair (rendered
    losslessly, so any blend shows). With `ends`, the frame at t = O is probed too: -1 at the
    start where it already blends (xfade's hard wipes, slides, covers and reveals show a row or
    column of the incoming shot there); the outgoing colour then ends at O + D, as a rendered
    shot does, so the frame there is the incoming one's."""
    from transforms.media import ffmpeg_exe

    offset = 1.0
    lo, hi = round(offset * fps), round((offset + duration_s) * fps)
    blend = set()
    for a, b, pix in BLEND_PROBES:
        graph = (
            f"color=c={a}:s={width}x{height}:r={fps}:d={offset + duration_s if ends else 4}"
            f",format={pix}[a];"
            f"color=c={b}:s={width}x{height}:r={fps}:d=4,format={pix}[b];"
            f"[a][b]xfade=transition={kind}:duration={duration_s}:offset={offset}"
        )
        command = [ffmpeg_exe(), "-nostdin", "-v", "error", "-filter_complex", graph]
        raw = subprocess.run(
            [*command, "-f", "rawvideo", "-pix_fmt", pix, "-"],
            capture_output=True,
            check=True,
        ).stdout
        size = width * height * (1 if pix == "gray" else 3) // (1 if pix == "gray" else 2)
        frames = np.frombuffer(raw, np.uint8).reshape(-1, size)
        blend |= {
            k
            for k in range(lo if ends else lo + 1, hi)
            if (frames[k] != frames[0]).any() and (frames[k] != frames[-1]).any()
        }
    return (min(blend) - lo - 1, hi - 1 - max(blend)) if blend else (0, 0)


def _crop_box(own: list[str], region: tuple[float, ...]) -> bool:
    """Whether `region` (fractions of the source picture) shows through a shot's own filters
    (flips and crops; colour filters keep it)."""
    x0, y0, x1, y1 = region
    w, h = 1.0, 1.0  # the picture's size in source fractions
    for f in ",".join(own).split(","):
        name, _, arg = f.partition("=")
        if name == "hflip":
            x0, x1 = w - x1, w - x0
        elif name == "vflip":
            y0, y1 = h - y1, h - y0
        elif name == "crop":
            env = {"iw": w, "ih": h, "in_w": w, "in_h": h}
            parts = [eval(p, {}, env) for p in arg.split(":")]  # our own tables' expressions
            cw, ch = parts[0], parts[1]
            cx = parts[2] if len(parts) > 2 else (w - cw) / 2
            cy = parts[3] if len(parts) > 3 else (h - ch) / 2
            x0, x1, y0, y1 = x0 - cx, x1 - cx, y0 - cy, y1 - cy
            w, h = cw, ch
        if x1 <= 0 or y1 <= 0 or x0 >= w or y0 >= h:
            return False
    return True


def source_fade_spans(name, start, read, own, origin, frames, fps) -> list[dict]:
    """The `source_fade` truth entries of a shot of file `name` read from `start` (`read`:
    the file's seconds since `start` its frame j shows, of j / fps) shown from `origin` for
    `frames` frames: each fade of SOURCE_FADES whose region shows, from the frame before its
    first changing frame to the frame after its last (open, as the xfade spans)."""
    out = []
    for before, after, what, region in SOURCE_FADES.get(name, ()):
        lo = -math.inf if before is None else before
        hi = math.inf if after is None else after
        inside = [j for j in range(frames) if lo < start + read(j / fps) < hi]
        if not inside or not _crop_box(own, region):
            continue
        out.append(
            {
                "kind": "source_fade",
                "start_s": round(origin + (inside[0] - 1) / fps, 4),
                "end_s": round(origin + (inside[-1] + 1) / fps, 4),
                "what": f"{name}: {what}",
            }
        )
    return out


SYNTHETIC_SHOTS = {
    "testsrc2": "testsrc2",
    "mandelbrot": "mandelbrot",
    "gradients": "gradients=speed=0.05:seed=1:c0=0x2060c0:c1=0xe0a020",
    "cellauto": "cellauto=rule=110:seed=1",
    "life": "life=mold=10:ratio=0.5:seed=1",
    "bars": "smptehdbars",
}
NEGATIVES = ("flash", "dip", "darken", "pan", "zoom", "object")
NEGATIVES_NEW = (*NEGATIVES, "shake")  # a handheld shake, only in the new held-back set
NEGATIVES_FRESH = (*NEGATIVES_NEW, "tilt", "spin")  # only in the fresh held-back set
# The last held-back set has every one, in turn, and two more: a whip pan (two frame widths in
# 0.4 s) and a wide object (70 % of the frame) crossing.
NEGATIVES_LAST = (
    *("pan", "object", "whip", "wide_object", "flash", "dip"),
    *("darken", "zoom", "shake", "tilt", "spin"),
)


def _sampled(shot: str, zoom: str) -> str:
    """xfade's custom expression for shot `shot`'s ("a" outgoing, "b" incoming) picture
    magnified `zoom` times (an expression of P) about its centre, in the plane drawn."""
    x, y = f"W/2+(X-W/2)/({zoom})", f"H/2+(Y-H/2)/({zoom})"
    return f"if(eq(PLANE,0),{shot}0({x},{y}),if(eq(PLANE,1),{shot}1({x},{y}),{shot}2({x},{y})))"


def _pushed() -> str:
    """xfade's custom expression of a push with motion blur: the incoming picture pushes the
    outgoing one out to the left, eased in and out, every pixel the mean of three taken along
    the push, 0.3 of the width apart at most mid-way (the speed's share of the width)."""
    q = "(1-P)"
    shift, smear = f"(W*{q}*{q}*(3-2*{q}))", f"(W*0.3*{q}*P)"
    planes = [
        "+".join(
            f"if(lt({x},W),a{p}({x},Y),b{p}({x}-W,Y))"
            for x in (f"(X+{shift}-{smear})", f"(X+{shift})", f"(X+{shift}+{smear})")
        )
        for p in range(3)
    ]
    return f"if(eq(PLANE,0),{planes[0]},if(eq(PLANE,1),{planes[1]},{planes[2]}))/3"


def _blurred_mix() -> str:
    """xfade's custom expression of a dissolve through a blur: both pictures blurred (each
    pixel the mean of five, itself and four 2.5 % of the plane's width away across and down,
    at most mid-way, none at the ends) and mixed with a smoothstep (eased) weight."""
    s = "(1-P)"
    r, m = f"(W*0.025*sin(PI*{s}))", f"({s}*{s}*(3-2*{s}))"
    taps = ("X,Y", f"X-{r},Y", f"X+{r},Y", f"X,Y-{r}", f"X,Y+{r}")
    planes = [
        f"(({'+'.join(f'a{p}({t})' for t in taps)})*(1-{m})"
        f"+({'+'.join(f'b{p}({t})' for t in taps)})*{m})/5"
        for p in range(3)
    ]
    return f"if(eq(PLANE,0),{planes[0]},if(eq(PLANE,1),{planes[1]},{planes[2]}))"


def _rippled_mix() -> str:
    """xfade's custom expression of a ripple dissolve: both pictures' rows pushed sideways by
    a wave (eight crests down the frame, running down it, up to 2.5 % of the width mid-way,
    none at the ends) and mixed with a smoothstep (eased) weight."""
    s = "(1-P)"
    dx = f"(W*0.025*sin(PI*{s})*sin(16*PI*Y/H-6*PI*{s}))"
    m = f"({s}*{s}*(3-2*{s}))"
    planes = [f"a{p}(X+{dx},Y)*(1-{m})+b{p}(X+{dx},Y)*{m}" for p in range(3)]
    return f"if(eq(PLANE,0),{planes[0]},if(eq(PLANE,1),{planes[1]},{planes[2]}))"


def _burnt_mix() -> str:
    """xfade's custom expression of a film-burn dissolve: a warm light leak (Y up to +120,
    U -30, V +40, strongest on a band sweeping from the left edge to past the right) flares
    over a dissolve and dies away, none at the ends."""
    s = "(1-P)"
    leak = f"(sin(PI*{s})*clip(1-abs(X/W-(1.6*{s}-0.3))/0.5,0,1))"
    mix = f"(A*P+B*{s})"
    lum, cb, cr = (f"clip({mix}+{k}*{leak},0,255)" for k in (120, -30, 40))
    return f"if(eq(PLANE,0),{lum},if(eq(PLANE,1),{cb},{cr}))"


def _pushed_down() -> str:
    """xfade's custom expression of a push down: the incoming picture pushes the outgoing one
    out at the bottom, eased in and out (a smoothstep of the way), no blur."""
    q = "(1-P)"
    shift = f"(H*{q}*{q}*(3-2*{q}))"
    planes = [f"if(lt(Y,{shift}),b{p}(X,Y-{shift}+H),a{p}(X,Y-{shift}))" for p in range(3)]
    return f"if(eq(PLANE,0),{planes[0]},if(eq(PLANE,1),{planes[1]},{planes[2]}))"


def _hazy_mix() -> str:
    """xfade's custom expression of a dissolve through a haze: both pictures blurred (each
    pixel the mean of nine, itself and eight on a ring 4 % of the plane's width across at most
    mid-way, none at the ends), veiled toward a pale grey (Y 200) by up to 35 % mid-way and
    mixed with a smoothstep (eased) weight."""
    s = "(1-P)"
    r, m, veil = f"(W*0.04*sin(PI*{s}))", f"({s}*{s}*(3-2*{s}))", f"(0.35*sin(PI*{s}))"
    ring = [(0, 0)] + [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if dx or dy]
    taps = [f"X+{dx * 0.7071 if dx and dy else dx}*{r},Y+{dy * 0.7071 if dx and dy else dy}*{r}"
            for dx, dy in ring]  # fmt: skip
    planes = []
    for p, grey in ((0, 200), (1, 128), (2, 128)):
        a = "+".join(f"a{p}({t})" for t in taps)
        b = "+".join(f"b{p}({t})" for t in taps)
        mixed = f"((({a})*(1-{m})+({b})*{m})/9)"
        planes.append(f"({mixed}+({grey}-{mixed})*{veil})")
    return f"if(eq(PLANE,0),{planes[0]},if(eq(PLANE,1),{planes[1]},{planes[2]}))"


def _spun_mix() -> str:
    """xfade's custom expression of a spin: the outgoing picture turns a quarter turn away
    about the centre, eased (a smoothstep of the way), and shrinks to two thirds mid-way while
    the incoming one turns in from a quarter turn back and grows to full size, black round the
    turned pictures (no turn and full size at the ends), dissolved linearly (every frame of
    the span blends, whatever its picture)."""
    s = "(1-P)"
    m = f"({s}*{s}*(3-2*{s}))"
    z = f"(1+0.5*sin(PI*{s}))"  # how far out a pixel samples: 1.5 (two thirds' size) mid-way
    planes = []
    for p, black in ((0, 16), (1, 128), (2, 128)):
        turned = []
        for side, angle in (("a", f"(PI/2*{m})"), ("b", f"(-PI/2*(1-{m}))")):
            u = f"(W/2+((X-W/2)*cos({angle})+(Y-H/2)*sin({angle}))*{z})"
            v = f"(H/2+((Y-H/2)*cos({angle})-(X-W/2)*sin({angle}))*{z})"
            inside = f"between({u},0,W-1)*between({v},0,H-1)"
            turned.append(f"if({inside},{side}{p}({u},{v}),{black})")
        planes.append(f"({turned[0]}*P+{turned[1]}*{s})")
    return f"if(eq(PLANE,0),{planes[0]},if(eq(PLANE,1),{planes[1]},{planes[2]}))"


def _parallax_slide() -> str:
    """xfade's custom expression of a slide with parallax: the incoming picture slides in from
    the right while the outgoing one drifts out to the left at half its speed, as a nearer
    layer passes a farther one, at a steady speed."""
    s = "(1-P)"
    edge = "(W*P)"
    planes = [f"if(gte(X,{edge}),b{p}(X-{edge},Y),a{p}(X+W*0.5*{s},Y))" for p in range(3)]
    return f"if(eq(PLANE,0),{planes[0]},if(eq(PLANE,1),{planes[1]},{planes[2]}))"


def _mosaic_mix() -> str:
    """xfade's custom expression of a mosaic dissolve: both pictures break into square blocks
    (each the sample at its corner) of 2 pixels of the plane from the first frame, growing to
    15 mid-way and back, one at the ends, dissolved linearly."""
    s = "(1-P)"
    n = f"(1+ceil(14*sin(PI*{s})-1e-6))"
    at = f"floor(X/{n})*{n},floor(Y/{n})*{n}"
    planes = [f"(a{p}({at})*P+b{p}({at})*{s})" for p in range(3)]
    return f"if(eq(PLANE,0),{planes[0]},if(eq(PLANE,1),{planes[1]},{planes[2]}))"


def _swirl_mix() -> str:
    """xfade's custom expression of a swirl dissolve: both pictures twisted about the centre,
    most at the centre (2.5 radians mid-way) and none from half the width out, the twist
    swelling and easing off as a sine of the way (none at the ends), dissolved linearly."""
    s = "(1-P)"
    dx, dy = "(X-W/2)", "(Y-H/2)"
    turn = f"(2.5*sin(PI*{s})*max(0,1-hypot({dx},{dy})/(W/2)))"
    u = f"(W/2+{dx}*cos({turn})-{dy}*sin({turn}))"
    v = f"(H/2+{dx}*sin({turn})+{dy}*cos({turn}))"
    at = f"clip({u},0,W-1),clip({v},0,H-1)"
    planes = [f"(a{p}({at})*P+b{p}({at})*{s})" for p in range(3)]
    return f"if(eq(PLANE,0),{planes[0]},if(eq(PLANE,1),{planes[1]},{planes[2]}))"


def _tile_wipe() -> str:
    """xfade's custom expression of a random tile wipe: the frame in 8 by 6 tiles, each turning
    to the incoming picture over 15 % of the way at its own moment (a hash of the tile, in the
    first 85 %)."""
    tile = "(floor(8*X/W)*12.9898+floor(6*Y/H)*78.233)"
    moment = f"(0.85*(sin({tile})*43758.5453-floor(sin({tile})*43758.5453)))"
    return f"A+(B-A)*clip(((1-P)-{moment})/0.15,0,1)"


def _ink_wipe() -> str:
    """xfade's custom expression of an ink wipe: the incoming picture bleeds in where a still
    field of three crossed sine waves (0.05-0.95) lies under the way, with an edge 15 % soft."""
    xn, yn = "(X/W)", "(Y/H)"
    field = (
        f"(0.5+0.2*sin(2*PI*(1.3*{xn}+0.7*{yn}))+0.15*sin(2*PI*(2.9*{xn}-1.7*{yn})+1)"
        f"+0.1*sin(2*PI*(5.3*{yn}+0.6*{xn})+2))"
    )
    return f"A+(B-A)*clip(((1-P)*1.3-0.15-{field})/0.15,0,1)"


# xfade's custom transitions (P falls from 1 to 0 over the transition) in the last set: a
# slanted straight edge moving across from the left, and an upward wipe with a soft edge a
# quarter of the frame high.
CUSTOM_TRANSITIONS = {
    "tiltwipe": "if(gt(X+0.35*Y,(1-P)*(W+0.35*H)),A,B)",
    "softwipeup": "A+(B-A)*clip((Y/H-1+(1-P)*1.25)/0.25,0,1)",
    # In the next set: a box opening from the centre, a clock wipe, venetian blinds and a
    # dissolve eased at both ends (its first and last frames fainter than a linear one's).
    "irisbox": "if(lt(abs(X-W/2),(1-P)*W/2)*lt(abs(Y-H/2),(1-P)*H/2),B,A)",
    "clockwipe": "if(lt(atan2(Y-H/2,X-W/2)+PI,(1-P)*2*PI),B,A)",
    "blinds": "if(lt(mod(Y,H/6),(1-P)*H/6),B,A)",
    "easedissolve": "B+(A-B)*P*P*(3-2*P)",
    # In the round-12 set: a diamond opening from the centre and a soft-edged wipe down.
    "diamond": "if(lt(abs(X-W/2)/W+abs(Y-H/2)/H,1-P),B,A)",
    "softwipedown": "A+(B-A)*clip(((1-P)*1.3-Y/H)/0.3,0,1)",
    # In the wipes set: a clock wipe the other way round from the bottom, a diagonal wipe
    # from the bottom right corner with a soft edge, a wipe out from the left and right edges.
    "clockwipe_ccw": "if(lt(PI-atan2(X-W/2,Y-H/2),(1-P)*2*PI),B,A)",
    "softdiagwipe": "A+(B-A)*clip(((1-P)*1.2-(2-X/W-Y/H)/2)/0.2,0,1)",
    "barnwipe": "if(gt(abs(X-W/2),(P)*W/2),B,A)",
    # In the round-13 set: a star-like wipe from the centre and a wipe down in steps.
    "crosswipe": "if(lt(min(abs(X-W/2)/W,abs(Y-H/2)/H),(1-P)*0.5),B,A)",
    "stepwipe": "if(lt(Y/H+0.25*floor(4*X/W)/4,(1-P)*1.1875),B,A)",
    # In the round-14 set: a diagonal wipe from the top left corner with a soft edge a third
    # of the diagonal wide, and a fade through a plum colour (Y, U, V of 0x703060).
    "softcornerwipe": "A+(B-A)*clip(((1-P)*1.35-(X/W+Y/H)/2)/0.35,0,1)",
    "fadeplum": "if(gt(P,0.5),A+(if(eq(PLANE,0),78,if(eq(PLANE,1),140,153))-A)*(2-2*P),"
    "if(eq(PLANE,0),78,if(eq(PLANE,1),140,153))+(B-if(eq(PLANE,0),78,if(eq(PLANE,1),140,153)))"
    "*(1-2*P))",
    # In the round-15 set: an ellipse opening from the centre (past the corners at the end),
    # and a wipe from the left with a zigzag edge (six teeth, 8 % of the width deep).
    "ovalopen": "if(lt(hypot((X-W/2)/W,(Y-H/2)/H),(1-P)*0.75),B,A)",
    "zigzagwipe": "if(lt(X/W+0.08*abs(mod(6*Y/H,1)*2-1),(1-P)*1.08),B,A)",
    # In the round-16 set: fades through black and through white that hold the colour for the
    # middle fifth of the span (Y, U, V of black 16, 128, 128; of white 235, 128, 128), and a
    # dissolve pixel by pixel, each pixel switching at its own moment (a hash of its position,
    # the chroma planes' at their luma pixel's).
    "dipblack": "if(gt(P,0.6),A+(if(eq(PLANE,0),16,128)-A)*(1-P)/0.4,if(gt(P,0.4),"
    "if(eq(PLANE,0),16,128),if(eq(PLANE,0),16,128)+(B-if(eq(PLANE,0),16,128))*(0.4-P)/0.4))",
    "dipwhite": "if(gt(P,0.6),A+(if(eq(PLANE,0),235,128)-A)*(1-P)/0.4,if(gt(P,0.4),"
    "if(eq(PLANE,0),235,128),if(eq(PLANE,0),235,128)+(B-if(eq(PLANE,0),235,128))*(0.4-P)/0.4))",
    "pixeldissolve": "if(lt(mod(abs(sin(if(PLANE,2,1)*(X*12.9898+Y*78.233)))*43758.5453,1),1-P),"
    "B,A)",
    # In the round-21 set: a fade through a teal colour (Y, U, V of 90, 150, 100: RGB about
    # 0x296482) that holds it for the middle tenth of the span, and a box opening from a point
    # right of centre and above it (its sides growing at 0.66 and 0.61 of the frame, the last to
    # pass the frame's edges the left and the bottom).
    "dipteal": "if(gt(P,0.55),A+(if(eq(PLANE,0),90,if(eq(PLANE,1),150,100))-A)*(1-P)/0.45,"
    "if(gt(P,0.45),if(eq(PLANE,0),90,if(eq(PLANE,1),150,100)),if(eq(PLANE,0),90,"
    "if(eq(PLANE,1),150,100))+(B-if(eq(PLANE,0),90,if(eq(PLANE,1),150,100)))*(0.45-P)/0.45))",
    "rectopen": "if(lt(abs(X/W-0.65),(1-P)*0.66)*lt(abs(Y/H-0.4),(1-P)*0.61),B,A)",
    # In the round-22 set: a zoom-in crossfade (the outgoing picture zooming in about its
    # centre to 1.6x as it dissolves into the incoming one, which settles from 1.25x to 1x)
    # and a luma-key wipe along a chevron-shaped gradient (the incoming shot keyed in where a
    # ramp from the left edge's middle lies under a rising level, a fifth of the ramp soft).
    "zoomdissolve": _sampled("a", "1+0.6*(1-P)") + "*P+" + _sampled("b", "1+0.25*P") + "*(1-P)",
    "lumaramp": "A+(B-A)*clip(((1-P)*1.2-0.55*X/W-0.45*abs(2*Y/H-1))/0.2,0,1)",
    "blurpush": _pushed(),
    # In the round-23 set: an iris opening with a soft edge (a round one in the 16:9 frame,
    # about the point 0.4 across and 0.45 down, its edge a quarter of the radius wide), blinds
    # along the diagonal (eight slats across it, each opening from its upper left edge) and a
    # dissolve through a blur (_blurred_mix).
    "irisdissolve": "A+(B-A)*clip(((1-P)*1.45-hypot((X/W-0.4)*16/9,Y/H-0.45))/0.25,0,1)",
    "diagblinds": "if(lt(mod(X/W+Y/H,0.25),(1-P)*0.25),B,A)",
    "blurdissolve": _blurred_mix(),
    # In the round-25 set: a pinwheel (four blades sweeping round the centre), a checkerboard
    # wipe (8 x 4 squares, each wiping from its left edge, the white squares in the first half,
    # the black in the second), a ripple dissolve (_rippled_mix), a film-burn dissolve through
    # a warm light leak (_burnt_mix) and a luma dissolve (the incoming shot keyed in where the
    # outgoing one is above a falling level, its brightest parts first, 20 levels soft, over
    # a dissolve of 0.3 of the way: every frame of the span blends, whatever its picture).
    "pinwheel": "if(lt(mod(atan2(Y-H/2,X-W/2)+PI,PI/2),(1-P)*PI/2),B,A)",
    "checkerwipe": "if(lt(mod(8*X/W,1),clip(2*(1-P)-mod(floor(8*X/W)+floor(4*Y/H),2),0,1)),B,A)",
    "ripple": _rippled_mix(),
    "burndissolve": _burnt_mix(),
    "lumadissolve": "A+(B-A)*(0.7*clip((a0(X,Y)-275*P+20)/20,0,1)+0.3*(1-P))",
    # In the round-27 set: a clock wipe with a soft edge (a sector of 0.9 rad, a seventh of
    # the turn, sweeping from 9 o'clock), a dip to amber (Y, U, V of 142, 71, 166: RGB about
    # 0xd08a20) that holds it for the middle fifth of the span, a push down eased in and out
    # (_pushed_down) and a dissolve through a haze (_hazy_mix).
    "softclock": "A+(B-A)*clip(((1-P)*(2*PI+0.9)-atan2(Y-H/2,X-W/2)-PI)/0.9,0,1)",
    "dipamber": "if(gt(P,0.6),A+(if(eq(PLANE,0),142,if(eq(PLANE,1),71,166))-A)*(1-P)/0.4,"
    "if(gt(P,0.4),if(eq(PLANE,0),142,if(eq(PLANE,1),71,166)),if(eq(PLANE,0),142,"
    "if(eq(PLANE,1),71,166))+(B-if(eq(PLANE,0),142,if(eq(PLANE,1),71,166)))*(0.4-P)/0.4))",
    "pushdown": _pushed_down(),
    "hazedissolve": _hazy_mix(),
    # In the round-28 set: a spin (_spun_mix), a dissolve through a white flash (a dissolve
    # washed toward white, Y 235, by up to 90 % mid-way: sin^4 of the way, none at the ends), a
    # slide with parallax (_parallax_slide) and a mosaic dissolve (_mosaic_mix).
    "spindissolve": _spun_mix(),
    "flashdissolve": "(A*P+B*(1-P))+(if(eq(PLANE,0),235,128)-(A*P+B*(1-P)))*0.9"
    "*pow(sin(PI*(1-P)),4)",
    "parallaxslide": _parallax_slide(),
    "mosaicdissolve": _mosaic_mix(),
    # In the round-29 set: a dissolve staggered by colour channel (V first, U 20 % of the way
    # later, luma 40 % later, each over 60 %), a swirl dissolve (_swirl_mix), a random tile wipe
    # (_tile_wipe) and an ink wipe (_ink_wipe).
    "channeldissolve": "A+(B-A)*clip(((1-P)-if(eq(PLANE,0),0.4,if(eq(PLANE,1),0.2,0)))/0.6,0,1)",
    "swirldissolve": _swirl_mix(),
    "tilewipe": _tile_wipe(),
    "inkwipe": _ink_wipe(),
}

# Transitions that are no transition, for check_truth: the outgoing or the incoming shot held
# through the span, on the same timeline.
HELD_SHOTS = {"hold_outgoing": "A", "hold_incoming": "B"}


@dataclass
class Shot:
    source: str  # a key of REAL_SHOTS or SYNTHETIC_SHOTS
    length_s: float
    negative: str | None = None  # one of NEGATIVES, at the middle of the shot
    into: str = "cut"  # how the next shot begins: cut or an xfade transition name
    into_s: float = 0.0  # the transition's duration
    # A fast change of the shot's own picture at the middle of its outgoing transition (the
    # film cutting or whipping mid-wipe): "jump" or "whip", in the round-14 set only.
    tail: str | None = None
    # Round 16: a camera move over the whole shot (one of ROUND16_MOVES) and a box (one of
    # ROUND16_BOXES) the picture is shown in, black bars around it.
    move: str | None = None
    box: str | None = None


@dataclass
class Truth:
    fps: int
    duration_s: float
    cuts_s: list[float] = field(default_factory=list)
    transitions: list[dict] = field(default_factory=list)  # kind, start_s, end_s
    negatives: list[dict] = field(default_factory=list)  # kind, start_s, end_s
    shots: list[tuple[float, float]] = field(default_factory=list)  # clean span of each shot
    # Round 16: each shot's move and box over the whole time it shows (its transitions too):
    # kind, start_s, end_s (and the picture's width and height for a box). Left out of the
    # JSON when empty.
    moves: list[dict] = field(default_factory=list)
    boxes: list[dict] = field(default_factory=list)


def crossing_box(at: float, width: int, box: int, top: int, tall: int, colour: str) -> str:
    """An opaque box `box` px wide and `tall` high, `top` px down, crossing the frame from
    left to right in front of the picture in the second from `at`."""
    return (
        f"drawbox=x='(t-{at})*{width + box}-{box}':y={top}:w={box}:h={tall}"
        f":color=0x{colour}@1:t=fill:enable='between(t,{at},{at + 1.0})'"
    )


def moving_box(at: float, x: str, top: float, tall: float, yuv: tuple[int, int, int]) -> str:
    """A box of colour `yuv` drawn per frame by geq (drawbox places its box once: the other
    sets' crossing boxes never move), between the left and right edges `x` ("LEFT;RIGHT",
    expressions of S, the seconds since `at`, in fractions of the width) and from `top` down
    `tall` (fractions of the height)."""
    left, right = (edge.replace("S", f"(T-{at})") for edge in x.split(";"))
    inside = f"between(X/W,{left},{right})*between(Y/H,{top},{top + tall})"
    return "geq=" + ":".join(
        f"{plane}='if({inside},{value},{plane}(X,Y))'"
        for plane, value in zip(("lum", "cb", "cr"), yuv, strict=True)
    )


def _negative_filter(kind: str, at: float, width: int, height: int, fps: int) -> str:
    """A filter applied to one shot (its time starts at 0), the event starting at `at`."""
    if kind == "flash":  # three frames washed out to near white
        until = at + 2.5 / fps
        return (
            "lutyuv=y='clipval*0.2+200':u='(val-128)*0.2+128':v='(val-128)*0.2+128'"
            f":enable='between(t,{at},{until:.4f})'"
        )
    if kind == "dip":  # the light drops for a second and comes back
        return f"eq=brightness='-0.35*sin(PI*clip((t-{at})/1.0,0,1))':eval=frame"
    if kind == "darken":  # the light drops over 0.4 s and stays
        return f"eq=brightness='-0.22*clip((t-{at})/0.4,0,1)':eval=frame"
    if kind == "pan":  # one frame width in 0.8 s across a picture twice as wide
        return (
            f"scale={2 * width}:{height},crop={width}:{height}"
            f":x='clip((t-{at})*{width}/0.8,0,{width})':y=0"
        )
    if kind == "whip":  # two frame widths in 0.4 s across a picture three times as wide
        return (
            f"scale={3 * width}:{height},crop={width}:{height}"
            f":x='clip((t-{at})*{2 * width}/0.4,0,{2 * width})':y=0"
        )
    if kind == "wide_object":  # a box 70% of the frame wide crosses in front in a second
        return crossing_box(at, width, int(0.7 * width), height // 20, height * 9 // 10, "a06030")
    if kind == "zoom":  # 1x to 2.5x in a second, about the centre
        return (
            f"zoompan=z='1+1.5*clip((it-{at})/1.0,0,1)':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2'"
            f":d=1:s={width}x{height}:fps={fps}"
        )
    if kind == "object":  # a box 40% of the frame wide crosses in front in a second
        return crossing_box(at, width, int(0.4 * width), height // 8, height * 3 // 4, "3050a0")
    if kind == "shake":  # a second of a fast handheld shake (about 8% of the width)
        return (
            f"scale={width * 6 // 5}:{height * 6 // 5},crop={width}:{height}"
            f":x='{width // 10}+{width // 12}*sin(2*PI*7*t)*between(t,{at},{at + 1.0})'"
            f":y='{height // 10}+{height // 14}*sin(2*PI*5*t)*between(t,{at},{at + 1.0})'"
        )
    if kind == "shaky":  # a handheld shake over the whole shot (about 5% of the width)
        return (
            f"scale={width * 6 // 5}:{height * 6 // 5},crop={width}:{height}"
            f":x='{width // 10}+{width // 20}*sin(2*PI*3*t)+{width // 40}*sin(2*PI*7.3*t)'"
            f":y='{height // 10}+{height // 24}*sin(2*PI*2.3*t+1)'"
        )
    if kind in ("tilt", "bars_tilt"):  # one frame height in 0.6 s down a picture twice as tall
        return (
            f"scale={width}:{2 * height},crop={width}:{height}"
            f":x=0:y='clip((t-{at})*{height}/0.6,0,{height})'"
        )
    if kind == "graphic":  # a caption plate slides in from the left in 0.5 s and stays
        return (
            f"drawbox=x='{width // 20}-{width // 2}*(1-clip((t-{at})/0.5,0,1))'"
            f":y={height * 2 // 3}:w={width // 2}:h={height // 5}:color=0xe0e0f0@1:t=fill"
            f":enable='gte(t,{at})'"
        )
    if kind == "turn":  # the picture turns half a turn in a second, eased, on its own turning
        return _turning(f"PI/2*(1-cos(PI*clip(t-{at},0,1)))", width, height)
    if kind == "spinup":  # a slow turn speeds up tenfold over a second and stays fast
        return _turning(f"0.5*t+2.5*pow(clip(t-{at},0,1),2)+5*max(t-{at}-1,0)", width, height)
    if kind == "jump":  # the picture jumps to another quarter of itself (the film's own cut)
        return (
            f"scale={2 * width}:{2 * height},crop={width}:{height}"
            f":x='{width}*gte(t,{at})':y='{height}*gte(t,{at})'"
        )
    # Round 14: an object crossing, a wide one and a caption plate sliding in, drawn per frame.
    if kind == "crossing":  # 40 % of the width, crossing in a second
        box = moving_box(at, "S*1.4-0.4;S*1.4", 0.125, 0.75, (84, 168, 108))
        return f"{box}:enable='between(t,{at},{at + 1.0})'"
    if kind == "wide_crossing":  # 70 % of the width, crossing in a second
        box = moving_box(at, "S*1.7-0.7;S*1.7", 0.05, 0.9, (110, 98, 160))
        return f"{box}:enable='between(t,{at},{at + 1.0})'"
    if kind == "plate":  # half the width, sliding in from the left in 0.5 s and staying
        x = "0.05-0.5*(1-clip(S/0.5,0,1));0.55-0.5*(1-clip(S/0.5,0,1))"
        return f"{moving_box(at, x, 0.667, 0.2, (210, 135, 127))}:enable='gte(t,{at})'"
    # Round 15: a double flash, the light coming up, a pull back, a pan the other way, a logo.
    if kind == "double_flash":  # two two-frame flashes 0.36 s apart (press cameras)
        first, second = (
            f"between(t,{at},{at + 1.5 / fps:.4f})",
            (f"between(t,{at + 0.36},{at + 0.36 + 1.5 / fps:.4f})"),
        )
        return (
            "lutyuv=y='clipval*0.15+210':u='(val-128)*0.15+128':v='(val-128)*0.15+128'"
            f":enable='{first}+{second}'"
        )
    if kind == "brighten":  # the light comes up over a second and stays
        return f"eq=brightness='0.25*clip((t-{at})/1.0,0,1)':eval=frame"
    if kind == "zoom_out":  # held at 2.5x, then pulled back to 1x in 0.8 s
        return (
            f"zoompan=z='2.5-1.5*clip((it-{at})/0.8,0,1)':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2'"
            f":d=1:s={width}x{height}:fps={fps}"
        )
    if kind == "pan_back":  # one frame width in 0.6 s, right to left, across a picture twice
        return (  # as wide
            f"scale={2 * width}:{height},crop={width}:{height}"
            f":x='{width}-clip((t-{at})*{width}/0.6,0,{width})':y=0"
        )
    if kind == "logo":  # a channel logo (a white plate, an orange square in it) pops in, stays
        plate = moving_box(at, "0.8;0.94", 0.06, 0.2, (225, 128, 128))
        mark = moving_box(at, "0.835;0.905", 0.1, 0.12, (150, 70, 190))
        return f"{plate}:enable='gte(t,{at})',{mark}:enable='gte(t,{at})'"
    # Round 16: the light dimming, an object passing close to the lens, a fast zoom.
    if kind == "dim":  # the light (above black) falls to 45 % over a second and stays
        gain = f"(1-0.55*clip((T-{at})/1.0,0,1))"
        return (
            f"geq=lum='16+(lum(X,Y)-16)*{gain}':cb='128+(cb(X,Y)-128)*{gain}'"
            f":cr='128+(cr(X,Y)-128)*{gain}'"
        )
    if kind == "near_crossing":  # a dark object 85 % of the width passes in 0.6 s
        box = moving_box(at, "S*1.85/0.6-0.85;S*1.85/0.6", 0.0, 1.0, (40, 120, 132))
        return f"{box}:enable='between(t,{at},{at + 0.6})'"
    if kind == "zoom_fast":  # 1x to 3x in half a second, about the centre, and held
        return (
            f"zoompan=z='1+2*clip((it-{at})/0.5,0,1)':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2'"
            f":d=1:s={width}x{height}:fps={fps}"
        )
    if kind == "spin":  # a quarter turn in a second and back (a camera rolling)
        return f"rotate='PI/2*sin(PI*clip((t-{at})/1.0,0,1))':fillcolor=black"
    # Round 17: a flickering light, a whip tilt.
    if kind == "flicker":  # the light drops by a fifth four times in a second, 1-2 frames each
        dips = "+".join(
            f"between(t,{at + a},{at + a + b})" for a, b in ((0, 0.06), (0.3, 0.02), (0.58, 0.06))
        )
        dips += f"+between(t,{at + 0.9},{at + 0.92})"
        return f"eq=brightness='-0.2*({dips})':eval=frame"
    if kind == "whip_up":  # two frame heights in 0.4 s up a picture three times as tall
        return (
            f"scale={width}:{3 * height},crop={width}:{height}"
            f":x=0:y='{2 * height}-clip((t-{at})*{2 * height}/0.4,0,{2 * height})'"
        )
    # Round 18: a rack-focus-like blur, a partial-frame occlusion, an exposure ramp.
    if kind == "defocus":  # the picture blurs (down to 15 % of its resolution) and sharpens
        f = f"(1-0.85*sin(PI*clip((t-{at})/1.0,0,1)))"  # back within the second
        return (
            f"scale=w='2*round(iw*{f}/2)':h='2*round(ih*{f}/2)':eval=frame:flags=area"
            f",scale={width}:{height}:flags=bicubic"
        )
    if kind == "occlude":  # a dark shape covers the right 40 % in 0.25 s, stays, leaves
        left = "1-0.4*clip(S/0.25,0,1)*clip((1-S)/0.25,0,1)"  # in 0.25 s
        box = moving_box(at, f"{left};1.01", 0.0, 1.01, (34, 124, 132))
        return f"{box}:enable='between(t,{at},{at + 1.0})'"
    if kind == "overexpose":  # the exposure ramps up 1.9x over a second, eased, and stays
        gain = f"(1+0.9*(1-cos(PI*clip((T-{at})/1.0,0,1)))/2)"  # (highlights clip)
        return f"geq=lum='16+(lum(X,Y)-16)*{gain}':cb='cb(X,Y)':cr='cr(X,Y)'"
    # Round 19: a lens flare sweeping across, a shadow band passing, a white-balance snap.
    if kind == "lens_flare":  # a bright soft disc (a fifth of the width) sweeps left to right
        x = f"(W*((T-{at})*1.4-0.2))"  # in a second, lifting the picture by up to 110
        glow = f"110*exp(-(pow(X-{x},2)+pow(Y-H*0.35,2))/(2*pow(W*0.1,2)))"
        return (
            f"geq=lum='min(255,lum(X,Y)+{glow})':cb='cb(X,Y)':cr='cr(X,Y)'"
            f":enable='between(t,{at},{at + 1.0})'"
        )
    if kind == "shadow_band":  # a soft shadow band 30 % wide halves the light as it passes
        x = f"(X/W-((T-{at})*1.6-0.3))"  # from the left edge to past the right in 0.8 s
        shade = f"(1-0.5*clip(1-abs({x}-0.15)/0.15,0,1))"
        return (
            f"geq=lum='16+(lum(X,Y)-16)*{shade}':cb='128+(cb(X,Y)-128)*{shade}'"
            f":cr='128+(cr(X,Y)-128)*{shade}':enable='between(t,{at},{at + 1.0})'"
        )
    if kind == "wb_shift":  # the white balance snaps warmer in one frame and stays (U -20,
        return f"lutyuv=u='clipval-20':v='clipval+16':enable='gte(t,{at})'"  # V +16)
    # Round 20: a rolling-shutter wobble, a strobe cycling colour, someone filling the frame and
    # leaving, the exposure pumping, a hand over the lens for a split second.
    if kind == "rs_wobble":  # a burst of shake through a rolling shutter: the rows sway sideways
        swing = f"(W*0.04*sin(PI*clip((T-{at})/0.6,0,1)))"  # in a wave running down the frame
        dx = f"{swing}*sin(2*PI*(2*Y/H-9*(T-{at})))"  # (up to 4 % of the width) for 0.6 s
        planes = ":".join(f"{p}='{p}(X+{dx},Y)'" for p in ("lum", "cb", "cr"))
        return f"geq={planes}:enable='between(t,{at},{at + 0.6})'"
    if kind == "strobe":  # a disco light: the picture tinted red, green, blue and magenta in
        phase = f"mod(floor((T-{at})/0.12+0.01),4)"  # turn, 0.12 s each, lifted on every other
        u = f"if(eq({phase},0),-20,if(eq({phase},1),-30,if(eq({phase},2),45,35)))"
        v = f"if(eq({phase},0),45,if(eq({phase},1),-35,if(eq({phase},2),-10,35)))"
        return (
            f"geq=lum='min(235,lum(X,Y)+30*eq(mod({phase},2),0))':cb='clip(cb(X,Y)+{u},16,240)'"
            f":cr='clip(cr(X,Y)+{v},16,240)':enable='between(t,{at},{at + 0.96})'"
        )
    if kind == "fill_frame":  # someone passing close to the lens: a dark coat fills the frame
        left = "clip(1-S/0.35,0,1)-0.01"  # from the right in 0.35 s, covers it whole for
        right = "1.01-1.02*clip((S-0.55)/0.35,0,1)"  # 0.2 s and leaves to the left in 0.35 s
        box = moving_box(at, f"{left};{right}", -0.01, 1.02, (46, 134, 124))
        return f"{box}:enable='between(t,{at},{at + 0.9})'"
    if kind == "exposure_pump":  # auto exposure hunting: the gain swings to 1.37x, 0.75x,
        s = f"clip(T-{at},0,1)"  # 1.17x and 0.89x and settles back to 1 within the second
        gain = f"(1+0.45*sin(4*PI*{s})*exp(-1.6*{s}))"
        return f"geq=lum='16+(lum(X,Y)-16)*{gain}':cb='cb(X,Y)':cr='cr(X,Y)'"
    if kind == "hand_block":  # a hand over the lens for 0.16 s (4 frames): a dark skin-toned
        inside = "lte(pow((X/W-0.3)/0.42,2)+pow((Y/H-0.95)/0.7,2),1)"  # blob over the lower
        planes = ":".join(  # left, in and out in a frame, 0.4 s into the second
            f"{p}='if({inside},{value},{p}(X,Y))'"
            for p, value in (("lum", "62+20*Y/H"), ("cb", 116), ("cr", 146))
        )
        return f"geq={planes}:enable='between(t,{at + 0.4},{at + 0.55})'"
    # Round 21: a focus pull, a shutter flicker, a bird crossing close to the lens, a light
    # switched off.
    if kind == "focus_pull":  # the focus pulled off the subject in 0.3 s: the picture goes
        f = f"(1-0.6*clip((t-{at})/0.3,0,1))"  # soft (down to 40 % of its resolution), stays
        return (
            f"scale=w='2*round(iw*{f}/2)':h='2*round(ih*{f}/2)':eval=frame:flags=area"
            f",scale={width}:{height}:flags=bicubic"
        )
    if kind == "shutter_flicker":  # mains light beating with the shutter: the light 0-20 %
        gain = f"(1-0.1*(1-cos(2*PI*10*(T-{at}))))"  # lower at 10 Hz for a second
        return (
            f"geq=lum='16+(lum(X,Y)-16)*{gain}':cb='cb(X,Y)':cr='cr(X,Y)'"
            f":enable='between(t,{at},{at + 1.0})'"
        )
    if kind == "bird_pass":  # a bird close to the lens: a dark body and flapping wings (0.84
        s = f"((T-{at}-0.3)/0.32)"  # of the width across) from the upper left to the lower
        cx, cy = f"(2.2*{s}-0.6)", f"(0.6*{s}+0.1)"  # right in 0.32 s, 0.3 s into the second
        body = f"lte(pow((X/W-{cx})/0.16,2)+pow((Y/H-{cy})/0.14,2),1)"
        wings = f"lte(pow((X/W-{cx})/0.42,2)+pow((Y/H-{cy}+0.05*cos(2*PI*6*T))/0.06,2),1)"
        planes = ":".join(
            f"{p}='if({body}+{wings},{value},{p}(X,Y))'"
            for p, value in (("lum", 38), ("cb", 124), ("cr", 134))
        )
        return f"geq={planes}:enable='between(t,{at + 0.3},{at + 0.62})'"
    if kind == "light_switch":  # a light switched off 0.4 s into the second: the room 40 %
        return (  # darker above black, a little paler, in one frame and for good
            "lutyuv=y='16+(val-16)*0.6':u='128+(val-128)*0.85':v='128+(val-128)*0.85'"
            f":enable='gte(t,{at + 0.4})'"
        )
    # Round 22: headlights sweeping across, fog rolling in, a lower third, rain streaks,
    # fireworks. Positions in fractions of the frame (geq's W and H are the plane's own).
    xn, yn = "(X/W)", "(Y/H)"
    if kind == "headlights":  # a car's two headlamps (0.16 of the width apart, low in the
        cx = f"(1.6*(T-{at})/0.8-0.4)"  # frame) and their glow sweeping across in 0.8 s
        lamps = "+".join(
            f"exp(-(pow({xn}-{cx}-{dx},2)/0.004+pow({yn}-0.62,2)/0.01))" for dx in (0, 0.16)
        )
        lum = f"min(235,lum(X,Y)+150*({lamps})+35*exp(-pow({xn}-{cx}-0.08,2)/0.05))"
        return f"geq=lum='{lum}':cb='cb(X,Y)':cr='cr(X,Y)':enable='between(t,{at},{at + 0.8})'"
    if kind == "fog_roll":  # a grey fog bank rolling in from the left (its front 0.4 of the
        front = f"(2*(T-{at})-{xn}+0.05*sin(6*PI*{yn}+3*T))"  # width soft, wavering) in 0.7 s,
        d = f"(0.6*clip({front}/0.4,0,1))"  # veiling 60 % of the picture, and staying
        planes = ":".join(
            f"{p}='{p}(X,Y)+({value}-{p}(X,Y))*{d}'"
            for p, value in (("lum", 170), ("cb", 128), ("cr", 128))
        )
        return f"geq={planes}:enable='gte(t,{at})'"
    if kind == "lower_third":  # a news lower third fading in over 0.3 s, 0.3 s into the
        a = f"(0.85*clip((T-{at}-0.3)/0.3,0,1))"  # second, and staying: a dark blue bar over
        bar = f"between({xn},0.06,0.72)*between({yn},0.76,0.92)"  # the lower left, a line of
        text = f"between({xn},0.09,0.6)*between({yn},0.8,0.87)*lt(mod(floor({xn}*64),4),3)"
        planes = ":".join(  # light 'words' in it
            f"{p}='{p}(X,Y)+(if({text},{glyph},{back})-{p}(X,Y))*{a}*{bar}'"
            for p, glyph, back in (("lum", 225, 40), ("cb", 128, 160), ("cr", 128, 118))
        )
        return f"geq={planes}:enable='gte(t,{at})'"
    if kind == "rain_streaks":  # a second of rain close to the lens: light streaks, slanted,
        u = "(X+0.3*Y)"  # 13 px apart across, falling 700 px a second
        streak = f"lt(mod({u},13),1.5)*lt(mod(Y-700*T+97*floor({u}/13),90),24)"
        return (
            f"geq=lum='lum(X,Y)+(205-lum(X,Y))*0.45*{streak}':cb='cb(X,Y)':cr='cr(X,Y)'"
            f":enable='between(t,{at},{at + 1.0})'"
        )
    if kind == "fireworks":  # two bursts: rings of sparks widening and fading, red 0.15 s
        sparks = []  # into the second about (0.3, 0.3), gold 0.5 s in about (0.72, 0.22)
        for t0, cx, cy in ((at + 0.15, 0.3, 0.3), (at + 0.5, 0.72, 0.22)):
            dx, dy = f"({xn}-{cx})", f"(({yn}-{cy})*9/16)"
            r = f"(0.2*sqrt(clip((T-{t0})/0.35,0,1)))"
            fade = f"gt(T,{t0})*(1-clip((T-{t0})/0.45,0,1))"
            ring = f"lt(abs(hypot({dx},{dy})-{r}),0.02)*lt(mod(atan2({dy},{dx})*8/PI+8,1),0.5)"
            sparks.append((fade, f"{fade}*{ring}"))
        k = f"min(1,{sparks[0][1]}+{sparks[1][1]})"
        colour = f"if({sparks[0][1]},{{}},{{}})"
        glow = f"15*({sparks[0][0]}+{sparks[1][0]})"  # the sky lit a little by each burst
        planes = ":".join(
            f"{p}='{p}(X,Y)+{glow}*{int(p == 'lum')}+({colour.format(red, gold)}-{p}(X,Y))*{k}'"
            for p, red, gold in (("lum", 170, 215), ("cb", 110, 60), ("cr", 200, 150))
        )
        return f"geq={planes}:enable='between(t,{at},{at + 1.0})'"
    # Round 23: a door opening onto bright light, a train passing over the lower half, a neon
    # sign flickering, confetti falling, a screen switched on.
    if kind == "door_light":  # a door right of centre opens onto bright light in 0.4 s (its
        a = f"clip((T-{at})/0.4,0,1)"  # gap growing from its left edge to 0.2 of the width),
        door = f"between({xn},0.55,0.55+0.2*{a})*between({yn},0.15,0.85)"  # the light
        glow = f"45*{a}*exp(-pow({xn}-0.65,2)/0.04)"  # spilling round it, and stays open
        planes = ":".join(
            f"{p}='if({door},{value},{spill})'"
            for p, value, spill in (
                ("lum", 232, f"min(235,lum(X,Y)+{glow})"),
                ("cb", 118, "cb(X,Y)"),
                ("cr", 140, "cr(X,Y)"),
            )
        )
        return f"geq={planes}:enable='gte(t,{at})'"
    if kind == "train_pass":  # a train 1.6 widths long crosses the lower 55 % right to left
        front = f"(1-3*(T-{at}))"  # at 3 widths a second (0.87 s): dark blue-grey carriages,
        along = f"mod({xn}-{front},0.4)"  # lit windows, a dark gap every 0.4 widths
        inside = f"between({xn},{front},{front}+1.6)*gte({yn},0.45)"
        window = f"between({yn},0.52,0.66)*between({along},0.04,0.34)*lt(mod({along},0.1),0.07)"
        gap = f"lt({along},0.015)"
        planes = ":".join(
            f"{p}='if({inside},if({gap},{dark},if({window},{lit},{body})),{p}(X,Y))'"
            for p, body, lit, dark in (
                ("lum", 72, 190, 28),
                ("cb", 140, 110, 128),
                ("cr", 118, 140, 128),
            )
        )
        return f"geq={planes}:enable='between(t,{at},{at + 0.9})'"
    if kind == "neon_flicker":  # a magenta neon sign (strokes over the upper right) comes on
        s = f"(T-{at})"  # for a second, flickering: bright, dim for a frame or two at times
        sign = f"between({xn},0.6,0.9)*between({yn},0.1,0.28)*lt(mod(floor({xn}*60),3),2)"
        level = f"if(gt(sin(2*PI*7*{s})+sin(2*PI*11.3*{s}+1),1.2),0.45,1)"
        halo = f"exp(-(pow({xn}-0.75,2)/0.03+pow({yn}-0.19,2)/0.02))"
        planes = ":".join(
            f"{p}='if({sign},{base}+({peak}-{base})*{level},{p}(X,Y)+{spill}*{level}*{halo})'"
            for p, base, peak, spill in (
                ("lum", 90, 210, 25),
                ("cb", 150, 170, 8),
                ("cr", 170, 205, 12),
            )
        )
        return f"geq={planes}:enable='between(t,{at},{at + 1.0})'"
    if kind == "confetti":  # confetti falling from the top for a second: small squares in
        s = f"(T-{at})"  # 20 columns, every 0.22 of the height, falling 0.8 heights a second,
        column = f"floor({xn}*20)"  # red, yellow or blue by column, reaching the bottom in
        piece = f"lt(mod({xn}*20,1),0.3)*lt(mod({yn}*4.5-3.6*{s}+0.37*{column},1),0.13)"
        piece += f"*lt({yn},{s}/0.35)"  # 0.35 s
        planes = ":".join(
            f"{p}='if({piece},if(eq(mod({column},3),0),{red},"
            f"if(eq(mod({column},3),1),{yellow},{blue})),{p}(X,Y))'"
            for p, red, yellow, blue in (
                ("lum", 110, 205, 70),
                ("cb", 100, 40, 200),
                ("cr", 210, 150, 110),
            )
        )
        return f"geq={planes}:enable='between(t,{at},{at + 1.0})'"
    if kind == "screen_on":  # a screen on the left switched on 0.1 s into the second: a
        s = f"(T-{at})"  # bright line opening to its full height in 0.25 s, its glare settling
        half = f"(0.004+0.175*clip(({s}-0.1)/0.25,0,1))"  # to a picture of stripes, and on
        screen = f"between({xn},0.15,0.45)*lt(abs({yn}-0.375),{half})*gt({s},0.1)"
        settle = f"clip(({s}-0.35)/0.3,0,1)"
        stripes = f"lt(mod({xn}*20,1),0.5)"
        planes = ":".join(
            f"{p}='if({screen},{glare}+({a}+({b}-{a})*{stripes}-{glare})*{settle},{p}(X,Y))'"
            for p, glare, a, b in (
                ("lum", 235, 120, 170),
                ("cb", 128, 150, 110),
                ("cr", 128, 110, 140),
            )
        )
        return f"geq={planes}:enable='gte(t,{at})'"
    # Round 25: a light leak, an iris closing to a circle and opening again, a puff of smoke.
    if kind == "light_leak":  # a warm light leak glowing in from the right edge: up to +90
        g = f"sin(PI*clip((T-{at})/1.0,0,1))*exp(-pow(1-{xn},2)/0.12)"  # light, U -25, V +30,
        planes = ":".join(  # strongest 0.5 s into the second and gone by its end
            f"{p}='clip({p}(X,Y)+{k}*{g},16,{top})'"
            for p, k, top in (("lum", 90, 235), ("cb", -25, 240), ("cr", 30, 240))
        )
        return f"geq={planes}:enable='between(t,{at},{at + 1.0})'"
    if kind == "iris_pulse":  # an old camera's iris closing to a circle 0.35 of the height
        r = f"hypot(({xn}-0.5)*16/9,{yn}-0.5)"  # across (its edge 0.08 soft) and opening
        radius = f"(1.1-0.75*sin(PI*clip((T-{at})/1.0,0,1)))"  # again within the second
        d = f"clip(({r}-{radius})/0.08,0,1)"
        planes = ":".join(
            f"{p}='{p}(X,Y)+({value}-{p}(X,Y))*{d}'"
            for p, value in (("lum", 16), ("cb", 128), ("cr", 128))
        )
        return f"geq={planes}:enable='between(t,{at},{at + 1.0})'"
    if kind == "smoke_puff":  # a puff of grey smoke from the lower left: a soft blob growing
        s = f"clip((T-{at})/1.0,0,1)"  # to 0.45 of the width as it rises and thins out
        cx, cy, w = f"(0.25+0.2*{s})", f"(0.85-0.4*{s})", f"(0.08+0.37*{s})"
        veil = f"(0.75*sin(PI*{s})*exp(-(pow({xn}-{cx},2)+pow(({yn}-{cy})*9/16,2))/pow({w},2)))"
        planes = ":".join(
            f"{p}='{p}(X,Y)+({value}-{p}(X,Y))*{veil}'"
            for p, value in (("lum", 150), ("cb", 130), ("cr", 126))
        )
        return f"geq={planes}:enable='between(t,{at},{at + 1.0})'"
    # Round 27: a knock on the camera, a slow defocus and refocus, a cloud's shadow passing, a
    # fluorescent tube failing.
    if kind == "camera_jolt":  # a knock 0.1 s into the second: the picture jumps 5 % of the
        d = f"clip(T-{at}-0.1,0,1)"  # width left and 4 % of the height up in one frame and
        swing = f"exp(-{d}/0.15)*cos(2*PI*6*{d})"  # swings back (6 Hz, dying in 0.15 s)
        shifted = f"X+W*0.05*{swing},Y+H*0.04*{swing}"
        planes = ":".join(f"{p}='{p}({shifted})'" for p in ("lum", "cb", "cr"))
        return f"geq={planes}:enable='between(t,{round(at + 0.1, 3)},{round(at + 1.0, 3)})'"
    if kind == "slow_refocus":  # the focus drifts off over 0.6 s, eased (down to 30 % of the
        up = f"clip((t-{at})/0.6,0,1)"  # picture's resolution), and back over 0.4 s
        down = f"clip((t-{at}-0.6)/0.4,0,1)"
        f = f"(1-0.7*({up}*{up}*(3-2*{up})-{down}*{down}*(3-2*{down})))"
        return (
            f"scale=w='2*round(iw*{f}/2)':h='2*round(ih*{f}/2)':eval=frame:flags=area"
            f",scale={width}:{height}:flags=bicubic"
        )
    if kind == "cloud_shadow":  # a cloud's shadow, a soft disc 0.4 of the width across (its
        s = f"((T-{at})/1.0)"  # edge 0.3 soft), drifting from past the upper left corner to past
        d = f"hypot({xn}-(2.1*{s}-0.55),({yn}-(1.7*{s}-0.35))*9/16)"  # the lower right in a
        dark = f"(0.4*clip((0.5-{d})/0.3,0,1))"  # second: the light 40 % lower, a little bluer
        return (
            f"geq=lum='16+(lum(X,Y)-16)*(1-{dark})':cb='cb(X,Y)+10*{dark}'"
            f":cr='128+(cr(X,Y)-128)*(1-{dark})':enable='between(t,{at},{at + 1.0})'"
        )
    if kind == "tube_flicker":  # a failing fluorescent tube: the light 55 % lower and greener
        blinks = "+".join(  # in five blinks of 0.02-0.06 s at odd moments of the second
            f"gte(t,{round(at + a, 3)})*lt(t,{round(at + a + b, 3)})"
            for a, b in ((0.08, 0.04), (0.2, 0.02), (0.26, 0.06), (0.5, 0.02), (0.72, 0.04))
        )
        return f"lutyuv=y='16+(val-16)*0.45':u='val-6':v='val-8':enable='{blinks}'"
    # Round 28: a burst of photographers' flashes, heat shimmer, lightning, a car's headlights
    # glaring into the lens.
    if kind == "flash_burst":  # four flashes from the crowd, 0.02-0.04 s each at odd moments
        pops = "+".join(  # of the second, each washing a soft disc (a third of the width
            f"{k}*between(T,{round(at + a, 3)},{round(at + a + b - 0.001, 3)})"  # across) 70-90 %
            f"*exp(-(pow({xn}-{x},2)+pow(({yn}-{y})*9/16,2))/0.02)"  # toward white
            for a, b, x, y, k in (
                (0.1, 0.04, 0.3, 0.4, 0.9),
                (0.34, 0.02, 0.7, 0.35, 0.7),
                (0.52, 0.04, 0.5, 0.6, 0.85),
                (0.8, 0.02, 0.2, 0.7, 0.75),
            )
        )
        return (
            f"geq=lum='lum(X,Y)+(235-lum(X,Y))*min(1,{pops})'"
            f":cb='cb(X,Y)+(128-cb(X,Y))*min(1,{pops})':cr='cr(X,Y)+(128-cr(X,Y))*min(1,{pops})'"
            f":enable='between(t,{at},{at + 1.0})'"
        )
    if kind == "heat_shimmer":  # hot air over the ground: the rows and columns waver (up to
        env = f"sin(PI*clip((T-{at})/1.0,0,1))"  # 3 pixels at the bottom, a third of it at the
        amp = f"(3*{env}*(0.33+0.67*{yn}))*W/320"  # top) in ripples rising through the second
        dx = f"{amp}*sin(2*PI*(6*{yn}+5*(T-{at})))"
        dy = f"0.5*{amp}*sin(2*PI*(9*{xn}-4*(T-{at})))"
        planes = ":".join(f"{p}='{p}(X+{dx},Y+{dy})'" for p in ("lum", "cb", "cr"))
        return f"geq={planes}:enable='between(t,{at},{at + 1.0})'"
    if kind == "lightning":  # a strike 0.2 s in: a bright frame, a dimmer one, then the main
        bolt = (  # flash 0.4 s in dying away in 0.1 s, the sky (the top) lit most, bluish
            f"(0.8*between(T,{round(at + 0.2, 3)},{round(at + 0.219, 3)})"
            f"+0.45*between(T,{round(at + 0.28, 3)},{round(at + 0.299, 3)})"
            f"+0.9*gte(T,{round(at + 0.4, 3)})*exp(-(T-{round(at + 0.4, 3)})/0.1))"
        )
        lit = f"({bolt}*(1-0.5*{yn}))"
        return (
            f"geq=lum='lum(X,Y)+(235-lum(X,Y))*{lit}':cb='cb(X,Y)+12*{lit}'"
            f":cr='cr(X,Y)-6*{lit}':enable='between(t,{at},{at + 1.0})'"
        )
    if kind == "headlight_glare":  # a car turning toward the lens: two headlights bloom into
        s = f"sin(PI*clip((T-{at})/1.0,0,1))"  # a glare a third of the width across with a
        lamps = "+".join(  # horizontal streak, swelling for 0.5 s and fading for 0.5 s
            f"exp(-(pow({xn}-{x},2)+pow(({yn}-0.58)*9/16,2))/(0.004+0.03*{s}))"
            for x in (0.62, 0.78)
        )
        streak = f"0.6*exp(-pow(({yn}-0.58)/0.02,2))*exp(-pow(({xn}-0.7)/0.5,2))"
        glare = f"min(1,{s}*({lamps}+{streak}))"
        return (
            f"geq=lum='lum(X,Y)+(240-lum(X,Y))*{glare}':cb='cb(X,Y)-8*{glare}'"
            f":cr='cr(X,Y)+6*{glare}':enable='between(t,{at},{at + 1.0})'"
        )
    # Round 29: a windscreen wiper sweeping across and back, a stage light's colour wheel
    # turning once, a burst of interference, the picture rolling once (vertical hold lost).
    if kind == "wiper_sweep":  # a dark blade from a pivot below the frame's bottom middle
        turn = f"(-1.5*cos(2*PI*clip((T-{at})/1.0,0,1)))"  # sweeps from the left to the right
        x, y = f"(({xn}-0.5)*16/9)", f"({yn}-1.15)"  # and back (86 degrees each way: out of
        off = f"abs({x}*cos({turn})+{y}*sin({turn}))"  # the frame at both ends)
        along = f"({x}*sin({turn})-{y}*cos({turn}))"
        blade = f"(0.92*clip((0.05-{off})/0.015,0,1)*between({along},0,1.4))"
        return (
            f"geq=lum='lum(X,Y)+(24-lum(X,Y))*{blade}':cb='cb(X,Y)+(128-cb(X,Y))*{blade}'"
            f":cr='cr(X,Y)+(128-cr(X,Y))*{blade}':enable='between(t,{at},{at + 1.0})'"
        )
    if kind == "hue_sweep":  # the hue turns a full circle in the second, more saturated mid-way
        u = f"clip((t-{at})/1.0,0,1)"
        return f"hue=H='2*PI*{u}':s='1+0.5*sin(PI*{u})':enable='between(t,{at},{at + 1.0})'"
    if kind == "static_burst":  # a quarter second of strong grain, 0.3 s in
        start, end = round(at + 0.3, 3), round(at + 0.55, 3)
        return f"noise=alls=60:allf=t:all_seed=2903:enable='between(t,{start},{end})'"
    if kind == "vertical_roll":  # from 0.2 s in, the picture rolls down once in 0.6 s (eased),
        u = f"clip((T-{round(at + 0.2, 3)})/0.6,0,1)"  # a black bar 6 % of its height between
        off = f"(1.06*H*{u}*{u}*(3-2*{u}))"  # its repeats
        row = f"mod(Y-{off}+2.12*H,1.06*H)"
        planes = ":".join(
            f"{p}='if(lt({row},H),{p}(X,{row}),{black})'"
            for p, black in (("lum", 16), ("cb", 128), ("cr", 128))
        )
        return f"geq={planes}:enable='between(t,{round(at + 0.2, 3)},{round(at + 0.8, 3)})'"
    raise ValueError(kind)


def _turning(angle: str, width: int, height: int) -> str:
    """The picture enlarged 2.3 times, turned by `angle` (radians, an expression of t) and cut
    back to the frame: no corner of the frame leaves the turned picture."""
    big_w, big_h = width * 23 // 10, height * 23 // 10
    return f"scale={big_w}:{big_h},rotate='{angle}':ow=iw:oh=ih,crop={width}:{height}"


def move_filter(move: str, length_s: float, width: int, height: int, fps: int) -> str:
    """A camera move over a whole shot of `length_s` (its time from 0), out of a picture
    ROUND16_GROW times the `width` x `height` frame: a frame-sized window panned, tilted or
    drifted (both) across it at a steady speed (1.5 frame widths or heights over the shot), or
    zoomed into it (1x to 2.2x, about the centre) or out of it."""
    if move in ROUND17_MOVES:
        return round17_move(move, length_s, width, height, fps)
    if move in ROUND18_MOVES:
        return round18_move(move, length_s, width, height, fps)
    if move in ROUND19_MOVES:
        return round19_move(move, length_s, width, height, fps)
    if move in ROUND20_MOVES:
        return round20_move(move, length_s, width, height, fps)
    if move in ROUND21_MOVES:
        return round21_move(move, length_s, width, height, fps)
    if move in ROUND22_MOVES:
        return round22_move(move, length_s, width, height, fps)
    if move in ROUND23_MOVES:
        return round23_move(move, length_s, width, height, fps)
    u = f"clip(t/{length_s},0,1)"
    x, y = "(in_w-out_w)/2", "(in_h-out_h)/2"
    if move == "pan_right":
        x = f"(in_w-out_w)*{u}"
    elif move == "pan_left":
        x = f"(in_w-out_w)*(1-{u})"
    elif move == "tilt_down":
        y = f"(in_h-out_h)*{u}"
    elif move == "tilt_up":
        y = f"(in_h-out_h)*(1-{u})"
    elif move == "drift":
        x, y = f"(in_w-out_w)*{u}", f"(in_h-out_h)*{u}"
    elif move in ("zoom_in", "zoom_out"):
        z = f"1+1.2*clip(it/{length_s},0,1)"
        z = z if move == "zoom_in" else f"2.2-1.2*clip(it/{length_s},0,1)"
        return (
            f"zoompan=z='{z}':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2'"
            f":d=1:s={width}x{height}:fps={fps}"
        )
    else:
        raise ValueError(move)
    return f"crop={width}:{height}:x='{x}':y='{y}'"


def round17_move(move: str, length_s: float, width: int, height: int, fps: int) -> str:
    """A round-17 camera move (ROUND17_MOVES) over a shot of `length_s`, out of its filled
    picture: a `width` x `height` window moved from the centre's one side to the other, or
    zoompan for the zooms."""
    _, across, down, eased, handheld = ROUND17_MOVES[move]
    u = f"clip(t/{length_s},0,1)"
    if move in ("zoom_in_slow", "pull_out_slow", "push_in"):
        z = {"zoom_in_slow": "1+0.35*U", "pull_out_slow": "1.5-0.4*U", "push_in": "1+0.6*U"}
        z = z[move].replace("U", f"clip(it/{length_s},0,1)")
        x = (
            "iw/2-iw/zoom/2"
            if move != "push_in"
            else f"(iw-iw/zoom)*(0.5+0.5*clip(it/{length_s},0,1))"
        )
        return f"zoompan=z='{z}':x='{x}':y='ih/2-ih/zoom/2':d=1:s={width}x{height}:fps={fps}"
    if eased:
        u = f"(1-cos(PI*{u}))/2"
    x = f"(in_w-out_w)/2+{across * width:.1f}*({u}-0.5)"
    y = f"(in_h-out_h)/2+{down * height:.1f}*({u}-0.5)"
    if handheld:  # two slow sways and two fast jitters on each axis
        x += (
            f"+{0.035 * width:.1f}*sin(2*PI*0.31*t+1)+{0.02 * width:.1f}*sin(2*PI*0.83*t)"
            "+2.5*sin(2*PI*6.1*t)+1.5*sin(2*PI*8.7*t+2)"
        )
        y += (
            f"+{0.03 * height:.1f}*sin(2*PI*0.27*t)+{0.015 * height:.1f}*sin(2*PI*1.07*t+0.5)"
            "+2*sin(2*PI*7.3*t+1)"
        )
    return f"crop={width}:{height}:x='{x}':y='{y}'"


def round18_move(move: str, length_s: float, width: int, height: int, fps: int) -> str:
    """A round-18 camera move (ROUND18_MOVES) over a shot of `length_s`, out of its filled
    picture: a `width` x `height` window moved on its path, the picture turned about its
    centre, or zoompan for the zooms."""
    _, across, down = ROUND18_MOVES[move]
    u = f"clip(t/{length_s},0,1)"
    if move in ("zoom_pan_left", "pull_back"):
        v = f"clip(it/{length_s},0,1)"
        if move == "zoom_pan_left":  # 1x to 1.45x, the window from the right edge to the left
            z, x = f"1+0.45*{v}", f"(iw-iw/zoom)*(1-{v})"
        else:  # 1.9x to 1x, eased, about the centre
            z, x = f"1.9-0.9*(1-cos(PI*{v}))/2", "iw/2-iw/zoom/2"
        return f"zoompan=z='{z}':x='{x}':y='ih/2-ih/zoom/2':d=1:s={width}x{height}:fps={fps}"
    if move == "roll":  # a slow sway and a faster wobble: at most 0.14 rad (8 degrees)
        angle = "0.1*sin(2*PI*0.35*t)+0.04*sin(2*PI*1.3*t+1)"
        return f"rotate='{angle}':ow=iw:oh=ih,crop={width}:{height}"
    x = f"(in_w-out_w)/2+{width}*({across.replace('U', u).replace('T', 't')})"
    y = f"(in_h-out_h)/2+{height}*({down.replace('U', u).replace('T', 't')})"
    if move == "walk":  # the footsteps' jitter
        x += "+2*sin(2*PI*5.3*t)+1.5*sin(2*PI*9.1*t+1)"
        y += "+2.5*sin(2*PI*6.7*t+2)"
    return f"crop={width}:{height}:x='{x}':y='{y}'"


def round19_move(move: str, length_s: float, width: int, height: int, fps: int) -> str:
    """A round-19 camera move (ROUND19_MOVES) over a shot of `length_s`, out of its filled
    picture: a `width` x `height` window moved on its path, the picture turned about its
    centre, or zoompan for the zooms."""
    _, across, down = ROUND19_MOVES[move]
    u = f"clip(t/{length_s},0,1)"
    if move in ("push_drift", "zoom_out_tilt"):
        v = f"clip(it/{length_s},0,1)"
        if move == "push_drift":  # 1x to 1.35x, the window drifting from left of centre right
            z, x, y = f"1+0.35*{v}", f"(iw-iw/zoom)*(0.2+0.6*{v})", "ih/2-ih/zoom/2"
        else:  # 1.7x to 1x, the window from the bottom up (the tilt ends as the zoom does)
            z, x, y = f"1.7-0.7*{v}", "iw/2-iw/zoom/2", f"(ih-ih/zoom)*(1-0.5*{v})"
        return f"zoompan=z='{z}':x='{x}':y='{y}':d=1:s={width}x{height}:fps={fps}"
    if move == "rotate_slow":  # -0.24 to 0.24 rad at a steady speed
        return f"rotate='0.48*({u}-0.5)':ow=iw:oh=ih,crop={width}:{height}"
    x = f"(in_w-out_w)/2+{width}*({across.replace('U', u).replace('T', 't')})"
    y = f"(in_h-out_h)/2+{height}*({down.replace('U', u).replace('T', 't')})"
    if move == "bob_walk":  # the footsteps' jitter
        x += "+2*sin(2*PI*6.1*t)"
        y += "+2*sin(2*PI*7.9*t+1)"
    if move == "drift_bump":  # a knock on the tripod at 70 %, dying out in about half a second
        bump = round(0.7 * length_s, 3)
        y += f"+7*exp(-8*max(t-{bump},0))*sin(2*PI*7*max(t-{bump},0))"
    return f"crop={width}:{height}:x='{x}':y='{y}'"


def round20_move(move: str, length_s: float, width: int, height: int, fps: int) -> str:
    """A round-20 camera move (ROUND20_MOVES) over a shot of `length_s`, out of its filled
    picture: a `width` x `height` window moved on its path (the orbit turning the picture as
    it goes), or zoompan for the zooms."""
    _, across, down = ROUND20_MOVES[move]
    u = f"clip(t/{length_s},0,1)"
    if move in ("dolly_zoom", "spiral_in"):
        v = f"clip(it/{length_s},0,1)"
        if move == "dolly_zoom":  # in to 1.45x and back out, about a point left of centre
            z, x, y = f"1+0.45*sin(PI*{v})", "(iw-iw/zoom)*0.3", "ih/2-ih/zoom/2"
        else:  # 1x to 1.4x, the window circling once
            z = f"1+0.4*{v}"
            x = f"(iw-iw/zoom)*(0.5+0.45*cos(2*PI*{v}))"
            y = f"(ih-ih/zoom)*(0.5+0.45*sin(2*PI*{v}))"
        return f"zoompan=z='{z}':x='{x}':y='{y}':d=1:s={width}x{height}:fps={fps}"
    x = f"(in_w-out_w)/2+{width}*({across.replace('U', u).replace('T', 't')})"
    y = f"(in_h-out_h)/2+{height}*({down.replace('U', u).replace('T', 't')})"
    if move == "drone_drift":  # the rotors' buzz
        x += "+1.5*sin(2*PI*11*t)+sin(2*PI*13.7*t+1)"
        y += "+1.5*sin(2*PI*9.3*t+2)"
    crop = f"crop={width}:{height}:x='{x}':y='{y}'"
    if move == "orbit":  # the picture rolls with the orbit, up to 0.08 rad
        return f"rotate='0.08*sin(2*PI*0.8*{u})':ow=iw:oh=ih,{crop}"
    return crop


def round21_move(move: str, length_s: float, width: int, height: int, fps: int) -> str:
    """A round-21 camera move (ROUND21_MOVES) over a shot of `length_s`, out of its filled
    picture: a `width` x `height` window moved on its path (the picture rolling under it for
    the drift and the sway), zoompan for the push and the walk, or the picture warped about
    its centre for the dolly zoom."""
    _, across, down = ROUND21_MOVES[move]
    u = f"clip(t/{length_s},0,1)"
    if move in ("push_shake", "walk_forward"):
        v = f"clip(it/{length_s},0,1)"
        if move == "push_shake":  # 1.15x to 1.5x, a handheld shake of 2-3 px at 5-9 Hz
            z = f"1.15+0.35*{v}"
            x = "(iw-iw/zoom)/2+2.5*sin(2*PI*6.3*it)+1.5*sin(2*PI*8.9*it+1)"
            y = "(ih-ih/zoom)/2+2*sin(2*PI*5.2*it+2)+1.5*sin(2*PI*7.6*it)"
        else:  # 1.1x to 1.3x, a bob of the steps at 2 Hz (3 % of the height), a 1 Hz sway
            z = f"1.1+0.2*{v}"
            x = "(iw-iw/zoom)/2+iw*0.025*sin(2*PI*it)"
            y = "(ih-ih/zoom)/2+ih*0.03*(abs(sin(2*PI*it))-0.5)+1.5*sin(2*PI*7.7*it)"
        return f"zoompan=z='{z}':x='{x}':y='{y}':d=1:s={width}x{height}:fps={fps}"
    if move == "vertigo":  # a dolly zoom: the centre held, the rest stretched out from it,
        k = f"(0.35*clip(T/{length_s},0,1))"  # to 1.5x at the corners by the shot's end
        f = f"(1-{k}*(pow(X/W-0.5,2)+pow(Y/H-0.5,2))*2)"
        planes = ":".join(
            f"{p}='{p}(W/2+(X-W/2)*{f},H/2+(Y-H/2)*{f})'" for p in ("lum", "cb", "cr")
        )
        return f"geq={planes}"
    x = f"(in_w-out_w)/2+{width}*({across.replace('U', u).replace('T', 't')})"
    y = f"(in_h-out_h)/2+{height}*({down.replace('U', u).replace('T', 't')})"
    crop = f"crop={width}:{height}:x='{x}':y='{y}'"
    if move == "drift_roll":  # the picture rolls from -0.06 to 0.1 rad as it drifts
        return f"rotate='-0.06+0.16*{u}':ow=iw:oh=ih,{crop}"
    if move == "boat_sway":  # the roll of the sway
        return f"rotate='0.06*sin(2*PI*0.3*t)':ow=iw:oh=ih,{crop}"
    return crop


def round22_move(move: str, length_s: float, width: int, height: int, fps: int) -> str:
    """A round-22 camera move (ROUND22_MOVES) over a shot of `length_s`, out of its filled
    picture: a `width` x `height` window moved on its path (the picture turning under it for
    the roll), or zoompan for the push and pull and the vertigo orbit."""
    _, across, down = ROUND22_MOVES[move]
    u = f"clip(t/{length_s},0,1)"
    if move in ("push_pull", "orbit_zoom"):
        v = f"clip(it/{length_s},0,1)"
        if move == "push_pull":  # 1.08x to 1.48x and back, eased, drifting right a little
            z = f"1.08+0.4*sin(PI*{v})"
            x = f"(iw-iw/zoom)/2+iw*0.03*({v}-0.5)"
            y = "(ih-ih/zoom)/2"
        else:  # 1.2x to 1.6x while the window circles once, 6 % of the picture out
            z = f"1.2+0.4*{v}"
            x = f"(iw-iw/zoom)/2+iw*0.06*cos(2*PI*{v})"
            y = f"(ih-ih/zoom)/2+ih*0.06*sin(2*PI*{v})"
        return f"zoompan=z='{z}':x='{x}':y='{y}':d=1:s={width}x{height}:fps={fps}"
    x = f"(in_w-out_w)/2+{width}*({across.replace('U', u).replace('T', 't')})"
    y = f"(in_h-out_h)/2+{height}*({down.replace('U', u).replace('T', 't')})"
    crop = f"crop={width}:{height}:x='{x}':y='{y}'"
    if move == "slow_roll":  # the picture rolls from 0 to 0.18 rad over the shot
        return f"rotate='0.18*{u}':ow=iw:oh=ih,{crop}"
    return crop


def round23_move(move: str, length_s: float, width: int, height: int, fps: int) -> str:
    """A round-23 camera move (ROUND23_MOVES) over a shot of `length_s`, out of its filled
    picture: a `width` x `height` window moved on its path (the picture turned under it for the
    Dutch angle and the rolling rise), or zoompan for the pull back and the snap zoom."""
    _, across, down = ROUND23_MOVES[move]
    u = f"clip(t/{length_s},0,1)"
    if move in ("shake_pull", "snap_zoom"):
        v = f"clip(it/{length_s},0,1)"
        if move == "shake_pull":  # 1.55x to 1.1x, a handheld shake of 2-3 px at 4-8 Hz
            z = f"1.55-0.45*{v}"
            x = "(iw-iw/zoom)/2+3*sin(2*PI*4.3*it)+1.5*sin(2*PI*7.9*it+2)"
            y = "(ih-ih/zoom)/2+2.5*sin(2*PI*5.7*it+1)"
        else:  # 1.05x to 1.5x over the first quarter, eased, then held, drifting right
            w = f"clip(4*{v},0,1)"
            z = f"1.05+0.45*{w}*{w}*(3-2*{w})"
            x = f"(iw-iw/zoom)*(0.35+0.3*{v})"
            y = "(ih-ih/zoom)/2"
        return f"zoompan=z='{z}':x='{x}':y='{y}':d=1:s={width}x{height}:fps={fps}"
    x = f"(in_w-out_w)/2+{width}*({across.replace('U', u).replace('T', 't')})"
    y = f"(in_h-out_h)/2+{height}*({down.replace('U', u).replace('T', 't')})"
    crop = f"crop={width}:{height}:x='{x}':y='{y}'"
    if move == "dutch_pan":  # the picture held at 0.12 rad
        return f"rotate=0.12:ow=iw:oh=ih,{crop}"
    if move == "rise_roll":  # the picture rolls from 0.08 to -0.08 rad as the crane rises
        return f"rotate='0.08-0.16*{u}':ow=iw:oh=ih,{crop}"
    return crop


def speed_read_s(kind: str, length_s: float, at: float) -> float:
    """The seconds of a shot read for `length_s` shown ones with ROUND15_SPEED_CHANGES[kind]
    from `at` (shown seconds)."""
    speed, seconds = ROUND15_SPEED_CHANGES[kind]
    changed = length_s - at if seconds is None else min(seconds, length_s - at)
    return round(length_s + (speed - 1) * changed, 4)


def speed_change(kind: str, length_s: float, at: float) -> str:
    """The setpts filter that plays a shot (its time from 0) at ROUND15_SPEED_CHANGES[kind]'s
    speed from `at` (shown seconds): a frame read at T is shown at T less what the faster
    part saved (or plus what the slower part added)."""
    speed, seconds = ROUND15_SPEED_CHANGES[kind]
    changed = length_s - at if seconds is None else min(seconds, length_s - at)
    return f"setpts='(T-{1 - 1 / speed:.4f}*clip(T-{at},0,{speed * changed:.4f}))/TB'"


def _read_map(speed: float | None, negative: str | None, at: float, length_s: float):
    """The seconds of its file (since its start) a shot shows at its own time t: played
    `speed` times as fast, or with a speed change of ROUND15_SPEED_CHANGES from `at`."""
    if negative in ROUND15_SPEED_CHANGES:
        change, seconds = ROUND15_SPEED_CHANGES[negative]
        changed = length_s - at if seconds is None else min(seconds, length_s - at)
        return lambda t: (
            t if t <= at else at + min(t - at, changed) * change + max(t - at - changed, 0.0)
        )
    return lambda t: t * (speed or 1.0)


def negative_at(shots: list[Shot], k: int) -> float:
    """When shot k's hard negative starts, in the shot's own time: mid-way between its
    transitions, lasting 1 s."""
    before = shots[k - 1].into_s if k else 0.0
    return round(before + (shots[k].length_s - before - shots[k].into_s) / 2 - 0.5, 3)


def set_fps(shots: list[Shot]) -> int:
    """The frame rate of the set `shots` come from: ROUND24_FPS for round 24's, ROUND25_FPS
    for round 25's, ROUND26_FPS for round 26's, ROUND27_FPS for round 27's, ROUND28_FPS for
    round 28's, ROUND29_FPS for round 29's, else 25."""
    round24 = REAL_SHOTS_ROUND24 | SYNTHETIC_SHOTS_ROUND24
    round25 = REAL_SHOTS_ROUND25 | SYNTHETIC_SHOTS_ROUND25
    round26 = REAL_SHOTS_ROUND26 | SYNTHETIC_SHOTS_ROUND26
    if any(s.source in REAL_SHOTS_ROUND29 | SYNTHETIC_SHOTS_ROUND29 for s in shots):
        return ROUND29_FPS
    if any(s.source in REAL_SHOTS_ROUND28 | SYNTHETIC_SHOTS_ROUND28 for s in shots):
        return ROUND28_FPS
    if any(s.source in REAL_SHOTS_ROUND27 | SYNTHETIC_SHOTS_ROUND27 for s in shots):
        return ROUND27_FPS
    if any(s.source in round26 for s in shots):
        return ROUND26_FPS
    if any(s.source in round25 for s in shots):
        return ROUND25_FPS
    return ROUND24_FPS if any(s.source in round24 for s in shots) else 25


def render(
    path: Path,
    shots: list[Shot],
    width: int = 320,
    height: int = 180,
    fps: int | None = None,
    pad: str | None = None,
    lossless: bool = False,
):
    """Render `shots` into `path` (H.264 with B-frames) and write `path`.json with the truth;
    with `pad` (an ffmpeg pad filter's arguments, e.g. "320:240:0:30": black bars), the joined
    picture is boxed into a larger frame before the one encode; `lossless`: encoded at qp 0
    (for checking the truth, check_truth). `fps`: the set's own (set_fps) unless given."""
    fps = fps or set_fps(shots)
    args: list[str] = []
    filters: list[str] = []
    truth = Truth(fps=fps, duration_s=0.0)
    sources = []  # per shot: (file, start_s, read map, own filters) of real footage, or None
    fit = (
        f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
        f"pad={width}:{height}:-1:-1,setsar=1,fps={fps},format=yuv420p"
    )
    for k, shot in enumerate(shots):
        real = REAL_SHOTS | REAL_SHOTS_NEW | REAL_SHOTS_FRESH | REAL_SHOTS_FINAL | REAL_SHOTS_LAST
        real |= REAL_SHOTS_NEXT | REAL_SHOTS_ROUND12 | REAL_SHOTS_WIPES | REAL_SHOTS_ROUND13
        real |= REAL_SHOTS_ROUND14 | REAL_SHOTS_ROUND15 | REAL_SHOTS_ROUND16 | REAL_SHOTS_ROUND17
        real |= REAL_SHOTS_ROUND18 | REAL_SHOTS_ROUND19 | REAL_SHOTS_ROUND20 | REAL_SHOTS_ROUND21
        real |= REAL_SHOTS_ROUND22 | REAL_SHOTS_ROUND23 | REAL_SHOTS_ROUND24 | REAL_SHOTS_ROUND25
        real |= REAL_SHOTS_ROUND26 | REAL_SHOTS_ROUND27 | REAL_SHOTS_ROUND28 | REAL_SHOTS_ROUND29
        chain = [fit, "setpts=PTS-STARTPTS"]
        at = negative_at(shots, k)
        speed_changes = shot.negative in ROUND15_SPEED_CHANGES
        # Rounds 16 and 17: the picture fills its box (or the frame), ROUND16_GROW times larger
        # (round 17: its move's size) for a move to cut its window from; the negative is drawn
        # in the picture, the bars after.
        pic_w, pic_h = box_size(shot.box, width, height) if shot.box else (width, height)
        moves = ROUND17_MOVES | ROUND18_MOVES | ROUND19_MOVES | ROUND20_MOVES | ROUND21_MOVES
        moves |= ROUND22_MOVES | ROUND23_MOVES
        grow = moves.get(shot.move, (ROUND16_GROW,))[0] if shot.move else 1.0
        fill_w, fill_h = 2 * round(pic_w * grow / 2), 2 * round(pic_h * grow / 2)
        fill = [
            f"scale={fill_w}:{fill_h}:force_original_aspect_ratio=increase",
            f"crop={fill_w}:{fill_h},setsar=1,fps={fps},format=yuv420p",
        ]
        round16 = (
            bool(shot.move or shot.box)
            or shot.source in REAL_SHOTS_ROUND16 | SYNTHETIC_SHOTS_ROUND16
            or shot.source in REAL_SHOTS_ROUND17 | SYNTHETIC_SHOTS_ROUND17
            or shot.source in REAL_SHOTS_ROUND18 | SYNTHETIC_SHOTS_ROUND18
            or shot.source in REAL_SHOTS_ROUND19 | SYNTHETIC_SHOTS_ROUND19
            or shot.source in REAL_SHOTS_ROUND20 | SYNTHETIC_SHOTS_ROUND20
            or shot.source in REAL_SHOTS_ROUND21 | SYNTHETIC_SHOTS_ROUND21
            or shot.source in REAL_SHOTS_ROUND22 | SYNTHETIC_SHOTS_ROUND22
            or shot.source in REAL_SHOTS_ROUND23 | SYNTHETIC_SHOTS_ROUND23
            or shot.source in REAL_SHOTS_ROUND24 | SYNTHETIC_SHOTS_ROUND24
            or shot.source in REAL_SHOTS_ROUND25 | SYNTHETIC_SHOTS_ROUND25
            or shot.source in REAL_SHOTS_ROUND26 | SYNTHETIC_SHOTS_ROUND26
            or shot.source in REAL_SHOTS_ROUND27 | SYNTHETIC_SHOTS_ROUND27
            or shot.source in REAL_SHOTS_ROUND28 | SYNTHETIC_SHOTS_ROUND28
            or shot.source in REAL_SHOTS_ROUND29 | SYNTHETIC_SHOTS_ROUND29
        )
        sources.append(None)
        if shot.source in real:
            name, start, usable, *own = real[shot.source]
            chain = [*own, *(fill + chain[1:] if round16 else chain)]
            if shot.length_s > usable + 1e-6:
                raise ValueError(f"{shot.source} has {usable}s, not {shot.length_s}s")
            late_sets = REAL_SHOTS_LAST | REAL_SHOTS_NEXT | REAL_SHOTS_ROUND12
            late_sets |= REAL_SHOTS_WIPES | REAL_SHOTS_ROUND13 | REAL_SHOTS_ROUND14
            late_sets |= REAL_SHOTS_ROUND15 | REAL_SHOTS_ROUND16 | REAL_SHOTS_ROUND17
            late_sets |= REAL_SHOTS_ROUND18 | REAL_SHOTS_ROUND19 | REAL_SHOTS_ROUND20
            late_sets |= REAL_SHOTS_ROUND21 | REAL_SHOTS_ROUND22 | REAL_SHOTS_ROUND23
            late_sets |= REAL_SHOTS_ROUND24 | REAL_SHOTS_ROUND25 | REAL_SHOTS_ROUND26
            late_sets |= REAL_SHOTS_ROUND27 | REAL_SHOTS_ROUND28 | REAL_SHOTS_ROUND29
            # Played faster or slower: the seconds read from the file differ from the shown.
            speeds = ROUND14_SPEEDS | ROUND20_SPEEDS | ROUND21_SPEEDS | ROUND22_SPEEDS
            speeds |= ROUND23_SPEEDS | ROUND24_SPEEDS | ROUND25_SPEEDS | ROUND26_SPEEDS
            speeds |= ROUND27_SPEEDS | ROUND28_SPEEDS | ROUND29_SPEEDS
            speed = speeds.get(shot.source)
            read_s = shot.length_s if speed is None else round(shot.length_s * speed, 4)
            if speed is not None:
                chain = [*own, f"setpts=(PTS-STARTPTS)/{speed}", *chain[len(own) :]]
            if speed_changes:  # a change of speed inside the shot: read more or fewer seconds
                read_s = speed_read_s(shot.negative, shot.length_s, at)
                if read_s > usable + 1e-6:
                    raise ValueError(f"{shot.source} has {usable}s, not {read_s}s to read")
                ramp = speed_change(shot.negative, shot.length_s, at)
                chain = [*own, "setpts=PTS-STARTPTS", ramp, *chain[len(own) :]]
            sources[-1] = (name, start, _read_map(speed, shot.negative, at, shot.length_s), own)
            if shot.source in late_sets and name in DECODE_FROM_START:
                # Decoded from the start and trimmed: no seek (see DECODE_FROM_START).
                chain = [f"trim=start={start}", "setpts=PTS-STARTPTS", *chain]
                args += ["-threads", "1", "-t", str(start + read_s)]
                args += ["-i", str(TESTDATA / "real" / name)]
                start = None
            if start is not None:
                args += [
                    "-threads",  # one decoder thread: its error concealment of a damaged frame
                    "1",  # (cockatoo.mp4 has some) is then the same on every run
                    "-ss",
                    str(start),
                    "-t",
                    str(read_s),
                    "-i",
                    str(TESTDATA / "real" / name),
                ]
        else:
            synthetic = SYNTHETIC_SHOTS | SYNTHETIC_SHOTS_NEW | SYNTHETIC_SHOTS_FRESH
            synthetic |= SYNTHETIC_SHOTS_FINAL | SYNTHETIC_SHOTS_LAST | SYNTHETIC_SHOTS_NEXT
            synthetic |= SYNTHETIC_SHOTS_ROUND12 | SYNTHETIC_SHOTS_WIPES | SYNTHETIC_SHOTS_ROUND13
            synthetic |= SYNTHETIC_SHOTS_ROUND14 | SYNTHETIC_SHOTS_ROUND14_FORCED
            synthetic |= SYNTHETIC_SHOTS_ROUND15 | SYNTHETIC_SHOTS_ROUND16 | SYNTHETIC_SHOTS_ROUND17
            synthetic |= SYNTHETIC_SHOTS_ROUND18 | SYNTHETIC_SHOTS_ROUND19
            synthetic |= SYNTHETIC_SHOTS_ROUND20 | SYNTHETIC_SHOTS_ROUND21 | SYNTHETIC_SHOTS_ROUND22
            synthetic |= SYNTHETIC_SHOTS_ROUND23 | SYNTHETIC_SHOTS_ROUND24 | SYNTHETIC_SHOTS_ROUND25
            synthetic |= SYNTHETIC_SHOTS_ROUND26 | SYNTHETIC_SHOTS_ROUND27 | SYNTHETIC_SHOTS_ROUND28
            synthetic |= SYNTHETIC_SHOTS_ROUND29
            src = synthetic[shot.source]
            sep = ":" if "=" in src else "="
            read_s = shot.length_s
            if round16:  # drawn at the filled size
                chain = [f"setsar=1,fps={fps},format=yuv420p", "setpts=PTS-STARTPTS"]
                src = f"{src}{sep}size={fill_w}x{fill_h}"
                sep = ":"
            if speed_changes:
                read_s = speed_read_s(shot.negative, shot.length_s, at)
                chain = ["setpts=PTS-STARTPTS", speed_change(shot.negative, shot.length_s, at)]
                chain.append(f"{fit},setpts=PTS-STARTPTS")
            args += ["-f", "lavfi", "-t", str(read_s)]
            size = "" if round16 else f"size={width}x{height}:"
            args += ["-i", f"{src}{sep}{size}rate={fps}"]
        if shot.move:
            chain.append(move_filter(shot.move, shot.length_s, pic_w, pic_h, fps))
            chain.append(f"fps={fps},format=yuv420p,setsar=1")
        if shot.negative and not speed_changes:
            chain.append(_negative_filter(shot.negative, at, pic_w, pic_h, fps))
            chain.append(f"fps={fps},format=yuv420p,setsar=1")
        if shot.box:
            x, y = (width - pic_w) // 2, (height - pic_h) // 2
            chain.append(f"pad={width}:{height}:{x}:{y}:color=black,setsar=1")
        if shot.tail:  # at the middle of the shot's outgoing transition
            at = round(shot.length_s - shot.into_s / 2, 3)
            at = round(at - 0.2, 3) if shot.tail == "whip" else at
            chain.append(_negative_filter(shot.tail, at, width, height, fps))
            chain.append(f"fps={fps},format=yuv420p,setsar=1")
        if (
            round16 or shot.source in REAL_SHOTS_ROUND15 | SYNTHETIC_SHOTS_ROUND15
        ):  # not a frame more
            chain.append(f"trim=end_frame={round(shot.length_s * fps)}")  # (24 fps film gave one)
        chain.append(f"settb=1/{fps}")
        filters.append(f"[{k}:v]{','.join(chain)}[s{k}]")
    # Join: each shot enters after the previous one's `into` (cut or xfade).
    current, length = "[s0]", shots[0].length_s
    shot_start = 0.0
    clean_start = 0.0
    shown = [[0.0, 0.0] for _ in shots]  # when each shot starts and stops showing
    for k in range(1, len(shots)):
        prev = shots[k - 1]
        out = f"[j{k}]"
        if prev.into == "cut":
            filters.append(f"{current}[s{k}]concat=n=2:v=1:a=0,settb=1/{fps}{out}")
            boundary = (length, length)
            truth.cuts_s.append(round(length, 4))
            length += shots[k].length_s
        else:
            offset = length - prev.into_s
            kind = prev.into
            if kind in CUSTOM_TRANSITIONS or kind in HELD_SHOTS:
                kind = f"custom:expr='{(CUSTOM_TRANSITIONS | HELD_SHOTS)[kind]}'"
            filters.append(
                f"{current}[s{k}]xfade=transition={kind}:duration={prev.into_s}"
                f":offset={offset:.4f}{out}"
            )
            boundary = (offset, offset + prev.into_s)
            # the frames that blend: a mask's edge off the picture blends none at the ends
            head, tail = 0, 0
            if prev.into in XFADE_UNCHANGED_ENDS:
                head, tail = xfade_blend_frames(prev.into, prev.into_s, width, height, fps)
            round17 = REAL_SHOTS_ROUND17 | SYNTHETIC_SHOTS_ROUND17
            round17 |= REAL_SHOTS_ROUND18 | SYNTHETIC_SHOTS_ROUND18
            round17 |= REAL_SHOTS_ROUND19 | SYNTHETIC_SHOTS_ROUND19
            round17 |= REAL_SHOTS_ROUND20 | SYNTHETIC_SHOTS_ROUND20
            round17 |= REAL_SHOTS_ROUND21 | SYNTHETIC_SHOTS_ROUND21
            round17 |= REAL_SHOTS_ROUND22 | SYNTHETIC_SHOTS_ROUND22
            round17 |= REAL_SHOTS_ROUND23 | SYNTHETIC_SHOTS_ROUND23
            round17 |= REAL_SHOTS_ROUND24 | SYNTHETIC_SHOTS_ROUND24
            round17 |= REAL_SHOTS_ROUND25 | SYNTHETIC_SHOTS_ROUND25
            round17 |= REAL_SHOTS_ROUND26 | SYNTHETIC_SHOTS_ROUND26
            round17 |= REAL_SHOTS_ROUND27 | SYNTHETIC_SHOTS_ROUND27
            round17 |= REAL_SHOTS_ROUND28 | SYNTHETIC_SHOTS_ROUND28
            round17 |= REAL_SHOTS_ROUND29 | SYNTHETIC_SHOTS_ROUND29
            if prev.source in round17 and prev.into not in HELD_SHOTS:
                # Rounds 17 to 29: spans to the frames that blend, the frame at O or O + D too
                # where it does (no other set's truth moves)
                head, tail = xfade_blend_frames(kind, prev.into_s, width, height, fps, ends=True)
                soft = ROUND17_SOFT_ENDS | ROUND18_SOFT_ENDS | ROUND19_SOFT_ENDS
                soft |= ROUND20_SOFT_ENDS | ROUND21_SOFT_ENDS | ROUND22_SOFT_ENDS
                soft |= ROUND23_SOFT_ENDS | ROUND24_SOFT_ENDS | ROUND25_SOFT_ENDS
                soft |= ROUND26_SOFT_ENDS | ROUND27_SOFT_ENDS | ROUND28_SOFT_ENDS
                soft |= ROUND29_SOFT_ENDS
                more = soft.get((prev.source, shots[k].source, prev.into), (0, 0))
                head, tail = head + more[0], tail + more[1]
            blend = (offset + head / fps, offset + prev.into_s - tail / fps)
            truth.transitions.append(
                {"kind": prev.into, "start_s": round(blend[0], 4), "end_s": round(blend[1], 4)}
            )
            if (
                prev.source,
                shots[k].source,
            ) in ROUND16_SIMILAR + ROUND17_SIMILAR + ROUND18_SIMILAR + ROUND19_SIMILAR + (
                ROUND20_SIMILAR + ROUND21_SIMILAR + ROUND22_SIMILAR + ROUND23_SIMILAR
            ) + ROUND24_SIMILAR + ROUND25_SIMILAR + ROUND26_SIMILAR + ROUND27_SIMILAR + (
                ROUND28_SIMILAR + ROUND29_SIMILAR
            ):
                truth.transitions[-1]["similar"] = True
            length = offset + prev.into_s + shots[k].length_s - prev.into_s
        if prev.negative:
            mid = shot_start + negative_at(shots, k - 1)
            truth.negatives.append(
                {"kind": prev.negative, "start_s": round(mid, 4), "end_s": round(mid + 1.0, 4)}
            )
        clean = blend if prev.into != "cut" else boundary
        truth.shots.append((round(clean_start, 4), round(clean[0], 4)))
        shown[k - 1][1], shown[k][0] = boundary[1], boundary[0]
        clean_start = clean[1]
        shot_start = boundary[0]
        current = out
    last = shots[-1]
    if last.negative:
        mid = shot_start + negative_at(shots, len(shots) - 1)
        truth.negatives.append(
            {"kind": last.negative, "start_s": round(mid, 4), "end_s": round(mid + 1.0, 4)}
        )
    truth.shots.append((round(clean_start, 4), round(length, 4)))
    truth.duration_s = round(length, 4)
    shown[-1][1] = length
    for shot, source, (start, _) in zip(shots, sources, shown, strict=True):
        if source is not None:  # the footage's own fades where the shot shows them
            frames = round(shot.length_s * fps)
            truth.transitions += source_fade_spans(*source, start, frames, fps)
    for shot, (start, end) in zip(shots, shown, strict=True):
        span = {"start_s": round(start, 4), "end_s": round(end, 4)}
        if shot.move:
            truth.moves.append({"kind": shot.move, **span})
        if shot.box:
            size = box_size(shot.box, width, height)
            truth.boxes.append({"kind": shot.box, **span, "width": size[0], "height": size[1]})
    if pad is not None:
        filters.append(f"{current}pad={pad},setsar=1[boxed]")
        current = "[boxed]"
    make_video(
        path,
        *args,
        "-filter_complex",
        ";".join(filters),
        "-map",
        current,
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        *(("-qp", "0") if lossless else ("-crf", "20")),
        "-g",
        str(2 * fps),
        "-threads",
        "1",  # byte-identical output on every run
        "-pix_fmt",
        "yuv420p",
    )
    record = asdict(truth)
    for key in ("moves", "boxes"):  # only the round-16 set has them
        if not record[key]:
            del record[key]
    path.with_suffix(".json").write_text(json.dumps(record, indent=1))
    return truth


def check_truth(work: Path, shots: list[Shot], tag: str = "v") -> tuple[Truth, list[str]]:
    """Render `shots` losslessly into `work` as made and with every transition replaced by the
    outgoing and by the incoming shot held (HELD_SHOTS; the same timeline three times, so any
    difference is the picture's, none the encoder's) and check the truth against them: the
    frame count, every span on frames, its first frame the outgoing shot's and its last the
    incoming one's, every frame strictly inside it different from both, and every frame
    outside the spans one or the other, sample for sample (Y, U and V). Returns the truth and
    what failed (empty when none)."""
    import av

    decoded, truth = {}, None
    for hold in (None, *HELD_SHOTS):
        copies = [replace(s, into=hold or s.into) if s.into != "cut" else s for s in shots]
        path = work / f"{tag}_{hold or 'made'}.mp4"
        made = render(path, copies, lossless=True)
        truth = truth or made
        with av.open(str(path)) as container:
            decoded[hold] = [f.to_ndarray() for f in container.decode(container.streams.video[0])]
    made, a, b = decoded[None], decoded["hold_outgoing"], decoded["hold_incoming"]
    problems = []
    count = round(truth.duration_s * truth.fps)
    if not len(made) == len(a) == len(b) == count:
        problems.append(f"frames {len(made)}, {len(a)}, {len(b)}, truth {count}")
    inside: set[int] = set()
    for t in truth.transitions:
        if t["kind"] == "source_fade":  # the footage's own: no held shot takes it out
            continue
        lo, hi = t["start_s"] * truth.fps, t["end_s"] * truth.fps
        off = 1e-6 + 5e-5 * truth.fps  # times kept to 4 places: k / 30 is not exact
        if abs(lo - round(lo)) > off or abs(hi - round(hi)) > off:
            problems.append(f"{t['kind']} at {t['start_s']}: span off frames")
        lo, hi = round(lo), round(hi)
        if not (np.array_equal(made[lo], a[lo]) and np.array_equal(made[hi], b[hi])):
            problems.append(f"{t['kind']} at {t['start_s']}: ends not the shots' frames")
        same = [k for k in range(lo + 1, hi) if (made[k] == a[k]).all() or (made[k] == b[k]).all()]
        if same:
            problems.append(f"{t['kind']} at {t['start_s']}: frames {same} equal a shot's")
        inside |= set(range(lo + 1, hi))
    outside = [
        k
        for k in sorted(set(range(min(len(made), len(a), len(b)))) - inside)
        if not (np.array_equal(made[k], a[k]) or np.array_equal(made[k], b[k]))
    ]
    if outside:
        problems.append(f"frames {outside[:10]} (of {len(outside)}) outside spans are neither shot")
    return truth, problems


TRANSITIONS_DEV = ("fade", "dissolve", "wipeleft", "slideright", "fadeblack", "fadewhite")
TRANSITIONS_HELD = (
    "fade",
    "dissolve",
    "wiperight",
    "slideleft",
    "fadeblack",
    "fadewhite",
    "pixelize",
    "wipeup",
    "smoothleft",
    "circleopen",
)


TRANSITIONS_NEW = (
    "fade",
    "dissolve",
    "wipedown",
    "slidedown",
    "radial",
    "smoothup",
    "circleclose",
    "vertopen",
    "horzclose",
    "diagbr",
    "hlslice",
    "hblur",
    "fadegrays",
    "squeezev",
    "coverleft",
    "revealup",
)


TRANSITIONS_FRESH = (
    "fade",
    "dissolve",
    "fadeblack",
    "slideup",
    "smoothright",
    "smoothdown",
    "vertclose",
    "horzopen",
    "diagtl",
    "diagbl",
    "hrslice",
    "vuslice",
    "wipetl",
    "wipebr",
    "squeezeh",
    "zoomin",
    "fadeslow",
    "distance",
    "rectcrop",
    "circlecrop",
    "coverdown",
    "revealright",
)


TRANSITIONS_FINAL = (
    "fade",
    "dissolve",
    "fadeblack",
    "fadewhite",
    "fadefast",
    "diagtr",
    "vdslice",
    "wipetr",
    "wipebl",
    "coverright",
    "coverup",
    "revealleft",
    "revealdown",
    "hlwind",
    "vuwind",
)


TRANSITIONS_LAST = (
    "fade",
    "dissolve",
    "fadeblack",
    "fadewhite",
    "hrwind",
    "vdwind",
    "tiltwipe",
    "softwipeup",
    "revealleft",
    "revealright",
    "revealup",
    "revealdown",
    "coverleft",
    "coverright",
    "coverup",
    "coverdown",
    "wipeleft",
    "wipedown",
    "wipetl",
    "wipebr",
    "slideleft",
    "slideup",
    "smoothleft",
    "smoothdown",
    "diagtl",
    "diagbr",
    "squeezeh",
    "squeezev",
)


# The next held-back set (bench --next): kinds of every family the earlier sets drew from, in
# another mix (fades and blends, hard and soft edges, slides, covers and reveals, squeezes,
# slices, winds, pixelize, zoom), and four custom ones no other set uses.
TRANSITIONS_NEXT = (
    *("fade", "dissolve", "fadeblack", "fadewhite", "fadegrays", "fadeslow", "hblur"),
    *("radial", "pixelize", "zoomin", "distance", "circleopen", "circleclose", "vertopen"),
    *("horzclose", "rectcrop", "wipeup", "wiperight", "wipetr", "wipebl", "slidedown"),
    *("slideright", "smoothup", "smoothright", "diagtr", "diagbl", "coverdown", "coverleft"),
    *("revealleft", "revealup", "squeezeh", "hlslice", "vdslice", "hlwind", "vuwind"),
    *("irisbox", "clockwipe", "blinds", "easedissolve"),
)
# Every hard negative, in turn over the set's seeds, a shake over a whole shot among them.
NEGATIVES_NEXT = (
    *("spin", "wide_object", "dip", "shaky", "whip", "darken", "object", "tilt"),
    *("flash", "zoom", "shake", "pan"),
)


# The round-12 held-back set (bench --round12): every xfade kind and the custom ones, in
# turn in an order of their own; every hard negative in turn, a shake over a whole shot
# among them.
TRANSITIONS_ROUND12 = (
    *("fade", "fadeblack", "fadewhite", "fadegrays", "fadefast", "fadeslow", "dissolve"),
    *("distance", "hblur", "pixelize", "zoomin", "radial", "circlecrop", "rectcrop"),
    *("circleopen", "circleclose", "vertopen", "vertclose", "horzopen", "horzclose"),
    *("wipeleft", "wiperight", "wipeup", "wipedown", "wipetl", "wipetr", "wipebl", "wipebr"),
    *("slideleft", "slideright", "slideup", "slidedown", "smoothleft", "smoothright"),
    *("smoothup", "smoothdown", "diagtl", "diagtr", "diagbl", "diagbr", "squeezeh"),
    *("squeezev", "hlslice", "hrslice", "vuslice", "vdslice", "hlwind", "hrwind", "vuwind"),
    *("vdwind", "coverleft", "coverright", "coverup", "coverdown", "revealleft"),
    *("revealright", "revealup", "revealdown", "diamond", "softwipedown"),
)
NEGATIVES_ROUND12 = (*NEGATIVES_LAST, "shaky")


# The wipes development set (bench --wipes, issue 11): hard and soft wipes and slides in every
# direction, diagonals, clock and radial wipes, covers and reveals, in turn in an order of
# their own, between real footage and synthetic pictures; the negatives that move an edge
# across one shot (objects crossing, pans, a caption plate sliding in).
TRANSITIONS_WIPES = (
    *("wipeleft", "wiperight", "wipeup", "wipedown", "wipetl", "wipetr", "wipebl", "wipebr"),
    *("slideleft", "slideright", "slideup", "slidedown", "smoothleft", "smoothright"),
    *("smoothup", "smoothdown", "diagtl", "diagtr", "diagbl", "diagbr", "radial"),
    *("coverleft", "coverup", "revealright", "revealdown", "vertopen", "horzclose"),
    *("clockwipe", "clockwipe_ccw", "softdiagwipe", "barnwipe", "tiltwipe", "irisbox"),
)
NEGATIVES_WIPES = ("object", "graphic", "pan", "wide_object", "whip", "graphic", "tilt", "shaky")
# The round-13 held-back set (bench --round13): as the round-12 one, with its own footage,
# sources, custom kinds, order and a caption plate among the negatives.
TRANSITIONS_ROUND13 = (
    *(k for k in TRANSITIONS_ROUND12 if k not in ("diamond", "softwipedown")),
    *("crosswipe", "stepwipe"),
)
NEGATIVES_ROUND13 = (*NEGATIVES_ROUND12, "graphic")
# The round-14 held-back set (bench --round14): every xfade kind and two custom ones of its
# own, in an order of its own; every hard negative in turn, once each over the four seeds,
# with three that once gave false boundaries drawn on their pictures (a two-colour gradient
# turning, a spiral speeding up, a tilt over colour bars: ROUND14_NEGATIVE_SOURCES); diagonal
# wipes out of real footage into a plain colour (the shot after a negative's), and every
# other wipe-like transition out of real footage with the film's own jump or whip mid-wipe.
TRANSITIONS_ROUND14 = (
    *(k for k in TRANSITIONS_ROUND12 if k not in ("diamond", "softwipedown")),
    *("softcornerwipe", "fadeplum"),
)
NEGATIVES_ROUND14 = (
    *(k for k in NEGATIVES_ROUND13 if k not in ("object", "wide_object", "graphic")),
    *("crossing", "wide_crossing", "plate", "turn", "spinup", "bars_tilt"),
)
DIAGONALS = ("wipetl", "wipetr", "wipebl", "wipebr", "diagtl", "diagtr", "diagbl", "diagbr")
WIPE_LIKE = ("wipe", "slide", "smooth", "diag", "cover", "reveal", "softcorner")
# Negatives that show on a plain colour.
ROUND14_PLAIN_NEGATIVES = ("flash", "dip", "darken", "crossing", "wide_crossing", "plate")
# The round-15 held-back set (bench --round15): the xfade kinds the earlier sets used least
# (three never: circlecrop, hrslice, vdwind; most once or twice), fades through black and
# white, the wipes and slides up and down that go into boxed shots, and two custom kinds of
# its own, each exactly once, in an order of its own, with five hard cuts; durations of 0.52
# to 2 s in 0.2 s steps (0.6, 0.8, 1.2, 1.4, 1.6, 1.8 none used before) and shots of whole
# frames, so every cut and span falls on a frame's time; every negative of NEGATIVES_ROUND15
# once over the four seeds: seven new ones (a double flash, the light coming up, a pull back,
# a pan right to left, a logo popping in, a speed-up and a slow motion inside a shot) and nine
# of the earlier sets'; each up or down wipe or slide (and the zigzag wipe) goes into a boxed
# shot (ROUND15_BOXED), in turn.
TRANSITIONS_ROUND15 = (
    *("circlecrop", "hrslice", "vdwind", "pixelize", "squeezev", "vuslice", "horzclose"),
    *("hblur", "hlslice", "fadefast", "hrwind", "rectcrop", "fadeslow", "distance"),
    *("fadeblack", "fadewhite", "slideup", "slidedown", "wipeup", "wipedown", "smoothdown"),
    *("ovalopen", "zigzagwipe"),
)
NEGATIVES_ROUND15 = (
    *("double_flash", "brighten", "zoom_out", "pan_back", "logo", "speedup", "slowmo"),
    *("flash", "dip", "whip", "tilt", "spin", "shaky", "crossing", "wide_crossing", "plate"),
)
ROUND15_INTO_BOX = ("slideup", "slidedown", "wipeup", "wipedown", "smoothdown", "zigzagwipe")
ROUND15_DURATIONS = (0.52, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0)
ROUND15_ORDER_SEED = 1500  # the kinds' order (each comes once whatever the seed)
# A hard cut where (seed + k) % 5 == 0 (five over seeds 1501-1504), the 23 kinds in turn over
# the other 23 boundaries: each kind exactly once.
ROUND15_SEEDS = range(1501, 1505)


def round15_kind(seed: int, k: int, count: int) -> str:
    """How shot k of the round-15 video `seed` (of `count` shots) goes into the next one."""
    if (seed + k) % 5 == 0:
        return "cut"
    earlier = [(s, j) for s in range(ROUND15_SEEDS[0], seed) for j in range(count - 1)]
    earlier += [(seed, j) for j in range(k)]
    turn = sum((s + j) % 5 != 0 for s, j in earlier)
    order = random.Random(ROUND15_ORDER_SEED).sample(TRANSITIONS_ROUND15, len(TRANSITIONS_ROUND15))
    return order[turn % len(order)]


# The round-16 held-back set (bench --round16, seeds 1601-1604), where the earlier sets were
# thin: moving shots (pans, tilts, a diagonal drift, zooms over the whole shot: 27 of 32)
# directly before and after the transitions, six transitions between similar-looking shots
# (ROUND16_SIMILAR), durations at the ends of the range (ten of 0.52 s, the shortest whole-frame
# span of 0.5 s or more, ten of 2 s, two of 1 s and two of 1.48 s), mostly real footage, four
# pairs of boxed shots joined by a transition (letterbox into letterbox, pillarbox into
# pillarbox, letterbox into pillarbox, windowbox into letterbox: ROUND16_BOXES), and 16 hard
# negatives each once, every one inside a moving shot, three new (the light dimming to 45 % and
# staying, a dark object passing close across 85 % of the frame, a 3x zoom in half a second).
# 24 transition kinds each once (the issue's fades, dissolves, wipes, slides and fades through
# black and white, a few others, and three custom ones: fades through black and white that
# hold the colour for a fifth of the span, and a dissolve pixel by pixel) and a hard cut in
# each video. Every frame strictly inside a span differs from both shots' own frames at its
# time, and every other frame is one of them, sample for sample (checked on lossless renders
# against the same video with each transition replaced by the outgoing or the incoming shot
# held): so no xfade kind whose first or last frames change nothing (radial, circleopen,
# circleclose and hlslice leave 1-6 frames of a span unchanged) and no wipe or reveal across
# two boxes' shared bars. As in the other sets, the span is (O, O + D) though xfade's hard
# wipes and slides already show one row or column of the incoming shot at t = O (and squeezeh
# resamples that whole frame: left out). Rows: source, move, box, negative, how it goes into
# the next shot, duration.
ROUND16_PLAN = {
    1601: (
        ("field_a16", "pan_right", None, None, "dissolve", 2.0),
        ("field_b16", "pan_right", None, "flash", "wipeup", 0.52),
        ("warm_a16", "zoom_in", None, None, "fade", 0.52),
        ("warm_b16", "tilt_down", None, "dim", "cut", 0.0),
        ("chaplin_wide16", None, "letterbox", None, "wipeleft", 2.0),
        ("sky16", "drift", "letterbox", "crossing", "fadeblack", 1.0),
        ("perlin16", "pan_left", None, None, "slidedown", 2.0),
        ("cockatoo_b16", "zoom_out", None, "zoom_fast", "cut", 0.0),
    ),
    1602: (
        ("bunny16", "zoom_in", None, None, "fadewhite", 0.52),
        ("cockatoo_a16", "pan_left", None, "double_flash", "pixeldissolve", 2.0),
        ("cockatoo_b16", "pan_left", None, None, "cut", 0.0),
        ("mandel16", "drift", None, "near_crossing", "smoothright", 2.0),
        ("plane_a16", None, "pillar", None, "slideleft", 0.52),
        ("sky16", "zoom_in", "pillar", "whip", "dipblack", 2.0),
        ("chaplin_close16", "tilt_up", None, None, "horzopen", 1.48),
        ("life16", "pan_right", None, "brighten", "cut", 0.0),
    ),
    1603: (
        ("zoneplate16", None, None, None, "wiperight", 0.52),
        ("hill_a16", "pan_left", None, "logo", "fadeslow", 2.0),
        ("hill_b16", "pan_right", None, None, "slideup", 0.52),
        ("plane_b16", "zoom_out", None, "zoom", "dipwhite", 0.52),
        ("field_b16", "drift", "letterbox", None, "fadegrays", 2.0),
        ("chaplin_close16", "tilt_down", "pillar", "darken", "smoothleft", 1.0),
        ("carphone_q16", None, None, None, "cut", 0.0),
        ("field_a16", "zoom_in", None, "wide_crossing", "cut", 0.0),
    ),
    1604: (
        ("chaplin_wide16", None, None, None, "fadefast", 0.52),
        ("chaplin_close16", "zoom_in", None, "dip", "coverleft", 2.0),
        ("rule16", "pan_left", None, None, "cut", 0.0),
        ("field_b16", "tilt_down", None, "zoom_out", "vertclose", 0.52),
        ("cockatoo_a16", "zoom_out", "window", None, "revealright", 2.0),
        ("sky16", "pan_right", "letterbox", "pan_back", "wipedown", 1.48),
        ("plane_a16", "zoom_in", None, None, "slideright", 0.52),
        ("plane_b16", "pan_left", None, "tilt", "cut", 0.0),
    ),
}
ROUND16_SEEDS = range(1601, 1605)
TRANSITIONS_ROUND16 = tuple(
    row[4] for seed in ROUND16_SEEDS for row in ROUND16_PLAN[seed][:-1] if row[4] != "cut"
)
NEGATIVES_ROUND16 = tuple(row[3] for seed in ROUND16_SEEDS for row in ROUND16_PLAN[seed] if row[3])
# The boxed pictures' aspect: black bars above and below (2.39:1), at the sides (4:3), or both
# (a 16:9 picture at 80 % of the frame).
ROUND16_BOXES = ("letterbox", "pillar", "window")


def box_size(box: str, width: int, height: int) -> tuple[int, int]:
    """The picture's size inside a `box` of ROUND16_BOXES in a `width` x `height` frame (even,
    for yuv420p)."""
    if box == "letterbox":
        return width, 2 * round(width / 2.39 / 2)
    if box == "pillar":
        return 2 * round(height * 4 / 3 / 2), height
    if box == "window":
        return 2 * round(width * 0.4), 2 * round(height * 0.4)
    raise ValueError(box)


def round16_shots(seed: int, count: int = 8) -> list[Shot]:
    """The round-16 video `seed` (plan_shots of ROUND16_PLAN)."""
    return plan_shots(ROUND16_PLAN, seed, count)


# The round-17 held-back set (bench --round17, seeds 1701-1704), made after round 16 showed
# gradual spans swallowing whole moving shots: the same families without its plan. 30 of 32
# shots move over their whole length with other speeds and paths than round 16's (ROUND17_MOVES:
# slow creeps and drifts, eased pans and tilts, a fast pan, handheld holds and pans with
# jitter, slow zooms and a push in), so 24 of the 26 transitions have a moving shot on both
# sides and the rest on one; five transitions between similar-looking shots (ROUND17_SIMILAR);
# 26 transitions, in a shuffle of their own: fades, dissolves (an eased one), wipes (two
# diagonal), slides, a smooth wipe, fades through black and white twice each, pixelize, a
# circle opening and closing, a radial wipe (the three whose span is trimmed to the frames that
# blend: XFADE_UNCHANGED_ENDS), covers and reveals; durations of 0.52-2 s in 0.2 s steps, every
# one two to four times; two hard cuts; four boxed pairs joined by a transition (pillarbox into
# pillarbox, letterbox into letterbox, letterbox into pillarbox, windowbox into letterbox), no
# wipe starting in two boxes' shared bars; 14 hard negatives once each, every one inside a
# moving shot, two new (a flickering light, a whip tilt up) with the round-15/16 flash, double
# flash, dip, darkening, dimming, brightening, crossing objects (one wide, one close), 3x fast
# zoom, whip pan and a logo popping in. Shots of whole frames at 25 fps, within their footage's
# usable seconds. Rows as ROUND16_PLAN's: source, move, box, negative, how it goes into the next
# shot, duration.
ROUND17_PLAN = {
    1701: (
        ("meadow_a17", "pan_eased_right", None, None, "dissolve", 2.0),
        ("meadow_b17", "creep_left", None, "flash", "wipedown", 0.6),
        ("perlin17", "handheld", None, "zoom_fast", "circleopen", 1.6),
        ("chaplin_a17", "zoom_in_slow", "pillar", "logo", "slideup", 1.6),
        ("chaplin_b17", "drift_up_left", "pillar", None, "fadeblack", 0.8),
        ("plane_a17", "pan_fast_left", None, None, "revealleft", 2.0),
        ("mandel17", "push_in", None, "whip_up", "fadewhite", 0.52),
        ("bunny17", "handheld_pan", None, None, "cut", 0.0),
    ),
    1702: (
        ("carphone_a17", "creep_up", None, None, "fade", 0.6),
        ("carphone_b17", "handheld", None, None, "coverright", 0.6),
        ("cells17", "pan_fast_left", None, "crossing", "cut", 0.0),
        ("plane_b17", "tilt_eased_down", None, "dim", "wipeleft", 1.0),
        ("plane_a17", "drift_up_left", None, None, "fadewhite", 1.4),
        ("meadow_a17", "zoom_in_slow", "letterbox", "brighten", "fade", 1.2),
        ("chaplin_b17", "creep_left", "letterbox", None, "smoothup", 2.0),
        ("bunny17", None, None, None, "cut", 0.0),
    ),
    1703: (
        ("cockatoo_a17", "handheld", None, "flicker", "dissolve", 0.8),
        ("cockatoo_b17", "handheld_pan", None, None, "radial", 1.8),
        ("chaplin_a17", "pan_eased_right", "letterbox", "whip", "fadeblack", 2.0),
        ("meadow_b17", "creep_left", "pillar", None, "coverup", 1.2),
        ("spiral17", "drift_up_left", None, "wide_crossing", "revealdown", 1.4),
        ("plane_b17", "push_in", None, None, "pixelize", 1.0),
        ("chaplin_b17", "creep_up", None, None, "wipetr", 1.8),
        ("sky_b17", "pan_fast_left", None, None, "cut", 0.0),
    ),
    1704: (
        ("grove17", None, None, None, "easedissolve", 1.4),
        ("cockatoo_a17", "zoom_in_slow", None, "double_flash", "slideleft", 1.2),
        ("plane_a17", "handheld_pan", None, None, "circleclose", 1.0),
        ("cells17", "pull_out_slow", None, "near_crossing", "fadefast", 1.6),
        ("meadow_a17", "tilt_eased_down", "window", "darken", "slideright", 0.52),
        ("sky_b17", "creep_up", "letterbox", None, "wipebl", 0.8),
        ("chaplin_b17", "zoom_in_slow", None, "dip", "cut", 0.0),
        ("mandel17", "handheld_pan", None, None, "cut", 0.0),
    ),
}
ROUND17_SEEDS = range(1701, 1705)
TRANSITIONS_ROUND17 = tuple(
    row[4] for seed in ROUND17_SEEDS for row in ROUND17_PLAN[seed][:-1] if row[4] != "cut"
)
NEGATIVES_ROUND17 = tuple(row[3] for seed in ROUND17_SEEDS for row in ROUND17_PLAN[seed] if row[3])


# The round-18 held-back set (bench --round18, seeds 1801-1804), made as round 17's but with
# nothing of it: 29 of 32 shots move over their whole length on paths no earlier set has
# (ROUND18_MOVES: pans that speed up from rest or slow to rest, a pan that stops and holds, a
# tilt that starts late, a slow diagonal drift, an arc, a handheld walk, a handheld roll, a zoom
# in while panning and a pull back); seven transitions between similar-looking shots
# (ROUND18_SIMILAR); 25 transitions in a shuffle of their own: fades (a fast and a slow one
# too), dissolves and a distance blend, fades through black twice, through white, through grey
# and a dip holding white, wipes (a diagonal and a smooth one), slides, a squeeze, covers and a
# reveal, pixelize, a circle closing and a slice wipe; durations of 0.56-2 s in 0.16 s steps
# (4 frames), every one two or three times; three hard cuts; no boxes; 15 hard negatives once
# each, every one inside a moving shot, three new (a rack-focus-like blur out and back, a
# dark shape covering part of the frame for half a second, an exposure ramp that clips the
# highlights and stays) with earlier sets' flash, double flash, flicker, dip, whip pan, pan
# back, fast tilt, spin, shake, 3x fast zoom, crossing objects (one close). Shots of whole
# frames at 25 fps, within their footage's usable seconds. Rows as ROUND16_PLAN's: source,
# move, box, negative, how it goes into the next shot, duration.
ROUND18_PLAN = {
    1801: (
        ("lawn_a18", "pan_accel_right", None, None, "dissolve", 1.52),
        ("lawn_b18", "walk", None, "defocus", "wipetl", 0.72),
        ("perlin18", "arc", None, None, "fadeblack", 2.0),
        ("chaplin_a18", "zoom_pan_left", None, "flash", "slidedown", 1.04),
        ("plane_a18", "tilt_late_up", None, None, "cut", 0.0),
        ("cockatoo_b18", "roll", None, "occlude", "coverleft", 1.36),
        ("cockatoo_a18", "drift_down_right", None, None, "fadeslow", 1.84),
        ("mandel18", "pull_back", None, "zoom_fast", "cut", 0.0),
    ),
    1802: (
        ("carphone_p18", None, None, None, "fade", 0.56),
        ("carphone_q18", "pan_stop_right", None, None, "pixelize", 0.88),
        ("chaplin_b18", "pan_decel_left", None, "overexpose", "wipeup", 1.68),
        ("lawn_a18", "zoom_pan_left", None, "whip", "fadewhite", 1.2),
        ("trees_a18", "arc", None, None, "smoothleft", 0.56),
        ("trees_b18", "tilt_late_up", None, None, "cut", 0.0),
        ("plane_b18", "roll", None, "double_flash", "distance", 1.52),
        ("cells18", "pan_accel_right", None, "near_crossing", "cut", 0.0),
    ),
    1803: (
        ("bush18", "drift_down_right", None, "flicker", "fadegrays", 1.04),
        ("plane_a18", "pan_decel_left", None, None, "revealup", 2.0),
        ("plane_b18", "pan_stop_right", None, None, "dipwhite", 0.72),
        ("chaplin_a18", "walk", None, "dip", "fade", 1.84),
        ("chaplin_b18", "pull_back", None, None, "squeezev", 1.36),
        ("lawn_b18", "arc", None, "spin", "fadeblack", 0.56),
        ("bunny18", "roll", None, None, "cut", 0.0),
        ("burrow18", None, None, None, "cut", 0.0),
    ),
    1804: (
        ("cockatoo_a18", "tilt_late_up", None, "crossing", "slideleft", 0.88),
        ("zoneplate18", None, None, None, "wiperight", 1.68),
        ("lawn_b18", "pull_back", None, "pan_back", "dissolve", 1.2),
        ("lawn_a18", "pan_decel_left", None, None, "circleclose", 1.52),
        ("chaplin_b18", "drift_down_right", None, "shake", "hrslice", 2.0),
        ("cockatoo_b18", "pan_accel_right", None, None, "coverdown", 1.04),
        ("perlin18", "roll", None, "tilt", "fadefast", 0.72),
        ("plane_a18", "walk", None, None, "cut", 0.0),
    ),
}
ROUND18_SEEDS = range(1801, 1805)
TRANSITIONS_ROUND18 = tuple(
    row[4] for seed in ROUND18_SEEDS for row in ROUND18_PLAN[seed][:-1] if row[4] != "cut"
)
NEGATIVES_ROUND18 = tuple(row[3] for seed in ROUND18_SEEDS for row in ROUND18_PLAN[seed] if row[3])


# The round-19 held-back set (bench --round19, seeds 1901-1904), made as round 18's but with nothing
# of it: 29 of 32 shots move over their whole length on paths no earlier set has (ROUND19_MOVES: a
# whip pan that stops dead, a pan that reverses, a pan in steps, a tilt down that then holds, a
# bobbing walk, a drift with a tripod bump, a slow rotation, a push in drifting sideways, a zoom out
# tilting up); seven transitions between similar-looking shots (ROUND19_SIMILAR); 25 transitions in
# a shuffle of their own: fades (a fast and a slow one too), dissolves and a blurring dissolve
# (hblur), fades through black twice, through white, through grey and a dip holding black, wipes (a
# diagonal, a smooth one, a slice), slides, a squeeze, a cover and reveals, pixelize and a circle
# opening; durations of 0.52-1.96 s in 0.16 s steps (4 frames), the five shortest three times, the
# rest twice (the fades and the dissolve of 0.52 and 0.68 s between shots moving on both sides); 20
# transitions moving on both sides, the rest on one; three hard cuts; no boxes; 15 hard negatives
# once each, every one inside a moving shot, three new (a lens flare sweeping across, a soft shadow
# band passing, the white balance snapping warmer) with earlier sets' flash, dip, brighten,
# overexposure, defocus, occlusion, fast pan, whip tilt, pull back, shake and crossing objects (a
# wide one, one close). Rows as ROUND16_PLAN's: source, move, box, negative, how it goes into the
# next shot, duration.
ROUND19_PLAN = {
    1901: (
        ("meadow_a19", "pan_reverse", None, "shadow_band", "fade", 0.52),
        ("meadow_b19", "bob_walk", None, None, "fadeblack", 1.64),
        ("perlin19", "rotate_slow", None, "flash", "revealright", 1.64),
        ("chaplin_b19", "tilt_down_hold", None, "dip", "dissolve", 0.68),
        ("chaplin_a19", "push_drift", None, None, "cut", 0.0),
        ("cockatoo_a19", "whip_stop_right", None, None, "wipeleft", 0.84),
        ("cockatoo_b19", "zoom_out_tilt", None, "lens_flare", "pixelize", 1.48),
        ("bunny19", None, None, None, "cut", 0.0),
    ),
    1902: (
        ("carphone_q19", "pan_steps", None, None, "slideright", 0.52),
        ("carphone_p19", None, None, None, "smoothdown", 0.68),
        ("plane_a19", "rotate_slow", None, "wb_shift", "hblur", 1.0),
        ("plane_b19", "pan_reverse", None, "zoom_out", "fadewhite", 0.84),
        ("mandel19", "tilt_down_hold", None, None, "circleopen", 1.8),
        ("meadow_a19", "drift_bump", None, "near_crossing", "cut", 0.0),
        ("hill19", "whip_stop_right", None, None, "dipblack", 1.16),
        ("spiral19", "bob_walk", None, "brighten", "cut", 0.0),
    ),
    1903: (
        ("woods_a19", "push_drift", None, None, "fadefast", 1.16),
        ("woods_b19", "pan_steps", None, None, "fadeblack", 0.52),
        ("chaplin_a19", "zoom_out_tilt", None, "whip_up", "coverup", 0.84),
        ("life19", "pan_reverse", None, "occlude", "fade", 1.48),
        ("cockatoo_b19", "tilt_down_hold", None, None, "squeezeh", 1.0),
        ("burrow19", "rotate_slow", None, None, "cut", 0.0),
        ("plane_a19", "bob_walk", None, "defocus", "wipedown", 1.0),
        ("mandel19", "whip_stop_right", None, None, "cut", 0.0),
    ),
    1904: (
        ("chaplin_a19", "drift_bump", None, "overexpose", "slideup", 1.16),
        ("meadow_b19", "zoom_out_tilt", None, "pan", "dissolve", 1.96),
        ("meadow_a19", "pan_steps", None, "shake", "fadegrays", 1.32),
        ("spiral19", None, None, None, "vuslice", 1.96),
        ("cockatoo_a19", "push_drift", None, "wide_crossing", "revealdown", 0.68),
        ("plane_b19", "whip_stop_right", None, None, "diagbr", 1.32),
        ("hill19", "rotate_slow", None, None, "fadeslow", 1.8),
        ("perlin19", "tilt_down_hold", None, None, "cut", 0.0),
    ),
}
ROUND19_SEEDS = range(1901, 1905)
TRANSITIONS_ROUND19 = tuple(
    row[4] for seed in ROUND19_SEEDS for row in ROUND19_PLAN[seed][:-1] if row[4] != "cut"
)
NEGATIVES_ROUND19 = tuple(row[3] for seed in ROUND19_SEEDS for row in ROUND19_PLAN[seed] if row[3])


# The round-20 held-back set (bench --round20, seeds 2001-2004), made as round 19's but with nothing
# of it or of any earlier set: 29 of 32 shots move over their whole length on paths no earlier set
# has (ROUND20_MOVES: an orbit rolling the picture, a crane up, a jittery drone drift, a pan on a
# speed ramp, a zigzag drift, a dolly zoom in and out, a spiral in); footage of its own, bikes'
# street shots and fire2's phone footage (half speed) among it; seven transitions between
# similar-looking shots of close colours, every one moving on both sides (ROUND20_SIMILAR): among
# them the short and the long fades and dissolves (0.6 and 0.64 s, 1.88 and 1.92 s: round 19's
# misses were a 0.52 s fade and a 1.96 s dissolve between moving shots); 25 transitions in a
# shuffle of their own: fades (a fast and a slow one too), dissolves, fades through black twice,
# through white, through grey and a dip holding white, wipes (a diagonal, a smooth one, a slice, a
# radial one, a circle closing, a barn door opening), slides, a squeeze, a cover, a reveal and
# pixelize; durations of 0.6-1.92 s in whole frames, none of round 18's or 19's (0.6, 0.64 and
# 1.88 s three times, 0.76-1.72 s in 0.16 s steps and 1.92 s twice); three hard cuts; no boxes;
# 15 hard negatives once each, every one inside a moving shot, five new (a rolling-shutter wobble,
# a strobe cycling colour, someone filling the frame and leaving, the exposure pumping, a hand
# over the lens for a split second) with earlier sets' flash, double flash, fast zoom, pan back,
# whip pan, shake, flicker, lens flare, wide crossing and defocus. Rows as ROUND16_PLAN's:
# source, move, box, negative, how it goes into the next shot, duration.
ROUND20_PLAN = {
    2001: (
        ("field_a20", "drone_drift", None, "rs_wobble", "fade", 0.6),
        ("field_b20", "crane_up", None, None, "fadeslow", 1.88),
        ("greens20", "orbit", None, "strobe", "slidedown", 1.08),
        ("tramp_a20", "ramp_pan_left", None, None, "dissolve", 0.64),
        ("tramp_b20", "spiral_in", None, "flash", "cut", 0.0),
        ("bunnyclip20", None, None, None, "diagtl", 0.92),
        ("runway_a20", "zigzag_drift", None, None, "dissolve", 1.92),
        ("runway_b20", "dolly_zoom", None, None, "cut", 0.0),
    ),
    2002: (
        ("bird_a20", "spiral_in", None, None, "fade", 1.88),
        ("bird_b20", "orbit", None, None, "revealup", 1.92),
        ("julia20", "crane_up", None, "fill_frame", "fadeblack", 0.6),
        ("forest_a20", "drone_drift", None, None, "fadefast", 0.64),
        ("forest_b20", "ramp_pan_left", None, "exposure_pump", "smoothleft", 1.24),
        ("cells20", "zigzag_drift", None, "hand_block", "cut", 0.0),
        ("phone_q20", "dolly_zoom", None, None, "pixelize", 0.6),
        ("phone_p20", "drone_drift", None, None, "cut", 0.0),
    ),
    2003: (
        ("street_a20", "crane_up", None, None, "wiperight", 0.76),
        ("street_b20", "zigzag_drift", None, None, "wipeup", 0.64),
        ("plasma20", "dolly_zoom", None, "whip", "fadegrays", 1.4),
        ("tramp_a20", "spiral_in", None, "double_flash", "coverleft", 1.56),
        ("field_b20", None, None, None, "cut", 0.0),
        ("blaze20", "drone_drift", None, None, "squeezev", 0.76),
        ("forest_a20", "ramp_pan_left", None, None, "radial", 1.72),
        ("cells20", "orbit", None, "shake", "cut", 0.0),
    ),
    2004: (
        ("warren20", None, None, None, "slideleft", 0.92),
        ("tramp_b20", "orbit", None, "lens_flare", "dipwhite", 1.24),
        ("julia20", "crane_up", None, "zoom_fast", "circleclose", 1.88),
        ("field_a20", "dolly_zoom", None, "wide_crossing", "hlslice", 1.4),
        ("greens20", "zigzag_drift", None, "defocus", "fadeblack", 1.72),
        ("bird_b20", "ramp_pan_left", None, None, "fadewhite", 1.08),
        ("cells20", "spiral_in", None, "flicker", "vertopen", 1.56),
        ("tramp_a20", "crane_up", None, "pan_back", "cut", 0.0),
    ),
}
ROUND20_SEEDS = range(2001, 2005)
TRANSITIONS_ROUND20 = tuple(
    row[4] for seed in ROUND20_SEEDS for row in ROUND20_PLAN[seed][:-1] if row[4] != "cut"
)
NEGATIVES_ROUND20 = tuple(row[3] for seed in ROUND20_SEEDS for row in ROUND20_PLAN[seed] if row[3])


# The round-21 held-back set (bench --round21, seeds 2101-2104), made as round 20's but with nothing
# of it or of any earlier set: 29 of 32 shots move over their whole length on paths no earlier set
# has (ROUND21_MOVES: a slow push in with a handheld shake, a pan easing in and out, a diagonal
# drift with a roll, a walk forward bobbing, a dolly zoom, a figure eight, a crane down while
# panning, a boat's sway); footage of its own, some of it played at 0.4x, 0.7x or 1.4x
# (ROUND21_SPEEDS); seven transitions between similar-looking shots of close colours, every one
# moving on both sides (ROUND21_SIMILAR): among them the short and the long fades and dissolves
# (0.56 and 0.72 s, 1.84 and 2 s); 25 transitions in a shuffle of their own: fades (a fast one
# too), dissolves and a blurring one (hblur), fades through black twice, through white, through
# grey and through teal (dipteal, new), wipes (a corner one, a diagonal, a smooth one, a slice, a
# wind), a circle opening, a box opening off centre (rectopen, new), a barn door closing, a slide,
# a squeeze, covers, a reveal and pixelize; durations of 0.56-2 s in whole frames, none of round
# 19's or 20's (0.56 s and 2 s three times, 0.72 s, 1.04 s, 1.2 s and 1.84 s twice, the other
# 0.08 s steps from 0.8 to 1.76 s once); three hard cuts; no boxes; 15 hard negatives once each,
# every one inside a moving shot, four new (a focus pull leaving the picture soft, a shutter
# flicker at 10 Hz, a bird crossing close to the lens, a light switched off) with earlier sets'
# rolling-shutter wobble, colour strobe, someone filling the frame, exposure pumping, hand over
# the lens, shadow band, white-balance snap, occlusion, overexposure, dimming and close crossing.
# Rows as ROUND16_PLAN's: source, move, box, negative, how it goes into the next shot, duration.
ROUND21_PLAN = {
    2101: (
        ("glade_a21", "push_shake", None, "rs_wobble", "dissolve", 2.0),
        ("glade_b21", "figure_eight", None, None, "pixelize", 1.04),
        ("smoke21", "drift_roll", None, "light_switch", "wipebl", 0.72),
        ("cab_p21", "boat_sway", None, None, "fade", 0.56),
        ("cab_q21", "ease_pan_left", None, None, "cut", 0.0),
        ("walker_a21", "vertigo", None, "strobe", "coverright", 1.36),
        ("fractal21", "walk_forward", None, "focus_pull", "circleopen", 1.76),
        ("bunnyslow21", None, None, None, "cut", 0.0),
    ),
    2102: (
        ("lane_a21", "boom_down_right", None, None, "fadefast", 0.72),
        ("lane_b21", "walk_forward", None, None, "fadeblack", 1.12),
        ("dusk21", "figure_eight", None, "bird_pass", "diagtr", 1.6),
        ("parrot_a21", "drift_roll", None, None, "fade", 1.84),
        ("parrot_b21", "push_shake", None, "exposure_pump", "cut", 0.0),
        ("woodland_a21", "vertigo", None, "occlude", "dissolve", 0.56),
        ("woodland_b21", "ease_pan_left", None, None, "hrwind", 1.52),
        ("life21", "boat_sway", None, "shutter_flicker", "cut", 0.0),
    ),
    2103: (
        ("airfield_b21", "walk_forward", None, "hand_block", "smoothup", 1.44),
        ("airfield_a21", "boat_sway", None, None, "fadewhite", 0.8),
        ("kerb21", "push_shake", None, None, "cut", 0.0),
        ("smoke21", "vertigo", None, "wb_shift", "slideright", 0.88),
        ("walker_b21", "drift_roll", None, None, "hblur", 1.2),
        ("walker_a21", "figure_eight", None, "shadow_band", "squeezeh", 2.0),
        ("fractal21", "ease_pan_left", None, "overexpose", "vdslice", 0.56),
        ("den21", None, None, None, "cut", 0.0),
    ),
    2104: (
        ("glade_b21", "drift_roll", None, "fill_frame", "fadeblack", 1.28),
        ("life21", "push_shake", None, "near_crossing", "coverdown", 0.96),
        ("silent21", "walk_forward", None, None, "horzclose", 1.04),
        ("airfield_a21", "boom_down_right", None, None, "dipteal", 1.84),
        ("bunnyslow21", "vertigo", None, None, "revealleft", 1.2),
        ("smoke21", "figure_eight", None, "dim", "rectopen", 2.0),
        ("parrot_b21", "ease_pan_left", None, None, "fadegrays", 1.68),
        ("fractal21", None, None, None, "cut", 0.0),
    ),
}
ROUND21_SEEDS = range(2101, 2105)
TRANSITIONS_ROUND21 = tuple(
    row[4] for seed in ROUND21_SEEDS for row in ROUND21_PLAN[seed][:-1] if row[4] != "cut"
)
NEGATIVES_ROUND21 = tuple(row[3] for seed in ROUND21_SEEDS for row in ROUND21_PLAN[seed] if row[3])


# The round-22 held-back set (bench --round22, seeds 2201-2204), made as round 21's but with nothing
# of it or of any earlier set: 29 of 32 shots move over their whole length on paths no earlier set
# has (ROUND22_MOVES: an arc over, a handheld walk sideways, a rack tilt, a slow roll, a push in
# and pull back, a vertigo orbit, a swinging pan, a drone sinking); footage of its own, some of it
# played at 0.45x, 0.6x or 1.2x (ROUND22_SPEEDS); seven transitions between similar-looking shots
# of close colours, every one moving on both sides (ROUND22_SIMILAR): among them the short and
# the long fades and dissolves (0.52 and 0.68 s, 1.8 and 1.96 s); 25 transitions in a shuffle of
# their own: fades (a slow one too), dissolves, a blurring one (hblur) and a zoom-in crossfade
# (zoomdissolve, new), fades through black twice, through white and through grey, wipes (a
# corner one, a diagonal, a smooth one, a wind and a luma-key wipe along a gradient: lumaramp,
# new), a circle and a barn door closing, slides (a squeeze too), a cover, reveals and pixelize;
# durations of 0.52-1.96 s in 0.16 s steps, none of round 20's or 21's (0.52, 0.68, 1.0, 1.8 and
# 1.96 s three times, the rest twice); three hard cuts; no boxes; 15 hard negatives once each,
# every one inside a moving shot, five new (headlights sweeping across, fog rolling in, a lower
# third fading in, rain streaks, fireworks) with earlier sets' double flash, lens flare, whip up,
# defocus, exposure pumping, flicker, shutter flicker, wide crossing, bird passing and
# white-balance snap. Rows as ROUND16_PLAN's: source, move, box, negative, how it goes into the
# next shot, duration.
ROUND22_PLAN = {
    2201: (
        ("meadow_a22", "arc_over", None, "headlights", "fade", 0.52),
        ("meadow_b22", "crab_walk", None, None, "wipetr", 0.84),
        ("nebula22", "rack_tilt", None, "fireworks", "fadegrays", 1.32),
        ("tramp_b22", "push_pull", None, None, "dissolve", 1.8),
        ("tramp_a22", "slow_roll", None, "wb_shift", "cut", 0.0),
        ("hopslow22", "orbit_zoom", None, None, "zoomdissolve", 1.0),
        ("coral22", "swing_pan", None, "lower_third", "pixelize", 0.52),
        ("burrow22", None, None, None, "cut", 0.0),
    ),
    2202: (
        ("road_a22", "drone_sink", None, None, "hblur", 0.68),
        ("road_b22", "rack_tilt", None, None, "fadeblack", 0.52),
        ("haze22", "crab_walk", None, "double_flash", "coverup", 0.84),
        ("crest_a22", "orbit_zoom", None, None, "fade", 1.96),
        ("crest_b22", "arc_over", None, "exposure_pump", "cut", 0.0),
        ("grove_a22", "swing_pan", None, "rain_streaks", "smoothright", 1.16),
        ("grove_b22", "push_pull", None, None, "squeezev", 1.32),
        ("hive22", "slow_roll", None, "bird_pass", "cut", 0.0),
    ),
    2203: (
        ("caller_p22", "crab_walk", None, None, "dissolve", 0.68),
        ("caller_q22", "swing_pan", None, None, "cut", 0.0),
        ("hangar_b22", "rack_tilt", None, None, "fadeslow", 1.96),
        ("hangar_a22", "push_pull", None, None, "vuwind", 1.16),
        ("hive22", "arc_over", None, "fog_roll", "fadeblack", 1.48),
        ("reel22", "drone_sink", None, None, "revealright", 1.0),
        ("meadow_b22", "orbit_zoom", None, "lens_flare", "diagbl", 1.64),
        ("ember22", None, None, None, "cut", 0.0),
    ),
    2204: (
        ("corner22", None, None, None, "slideup", 0.68),
        ("coral22", "crab_walk", None, "whip_up", "fadewhite", 1.0),
        ("tramp_a22", "rack_tilt", None, "defocus", "lumaramp", 1.8),
        ("hopslow22", "swing_pan", None, "wide_crossing", "blurpush", 1.48),
        ("nebula22", "slow_roll", None, "flicker", "vertclose", 1.8),
        ("meadow_a22", "push_pull", None, "shutter_flicker", "revealdown", 1.64),
        ("hangar_a22", "drone_sink", None, None, "circleclose", 1.96),
        ("haze22", "orbit_zoom", None, None, "cut", 0.0),
    ),
}
ROUND22_SEEDS = range(2201, 2205)
TRANSITIONS_ROUND22 = tuple(
    row[4] for seed in ROUND22_SEEDS for row in ROUND22_PLAN[seed][:-1] if row[4] != "cut"
)
NEGATIVES_ROUND22 = tuple(row[3] for seed in ROUND22_SEEDS for row in ROUND22_PLAN[seed] if row[3])


# The round-23 held-back set (bench --round23, seeds 2301-2304), made as round 22's but with
# nothing of it or of any earlier set: 29 of 32 shots move over their whole length on paths no
# earlier set has (ROUND23_MOVES: a pan that overshoots and settles, a rise swaying sideways, a
# pan at a Dutch angle, a pull back with a handheld shake, a corkscrew, a crane up rolling, an
# L-shaped track, a snap zoom); footage of its own, some of it played at 0.35x, 0.65x or 1.3x
# (ROUND23_SPEEDS); seven transitions between similar-looking shots of close colours, every one
# moving on both sides (ROUND23_SIMILAR): a 0.6 s blurring dissolve (hblur), a 0.76 s fade and a
# 0.76 s dissolve, a 1.08 s smooth wipe, a 1.72 s eased dissolve, a 1.88 s dissolve and a 1.92 s
# slow fade; 25 transitions in a shuffle of their own: fades (a fast and a slow one too),
# dissolves, a blurring one, an eased one and a dissolve through a blur (blurdissolve, new),
# fades through black twice, through white and through grey, wipes (a corner one, a diagonal, a
# smooth one, a wind, blinds along the diagonal: diagblinds, new), a soft-edged iris opening
# (irisdissolve, new), a circle and a barn door opening, slides, a cover and a reveal; durations
# of whole frames, none of round 21's or 22's (every whole-frame duration of 0.52-2 s is some
# earlier plan's: rounds 20 to 22 take them all between them, so these are round 20's values,
# used by no set since, in a mix of their own: 0.6, 0.64, 0.76, 1.88 and 1.92 s three times,
# 0.92, 1.08, 1.4 and 1.72 s twice, 1.24 and 1.56 s once), no kind at a duration any earlier set
# gave it; three hard cuts; no boxes; 15 hard negatives once each, every one inside a moving
# shot, five new (a door opening onto bright light, a train passing over the lower half, a neon
# sign flickering, confetti, a screen switched on) with earlier sets' flash, whip pan, close
# crossing, colour strobe, hand over the lens, focus pull, light switched off, rolling-shutter
# wobble, fog rolling in and headlights. Rows as ROUND16_PLAN's: source, move, box, negative,
# how it goes into the next shot, duration.
ROUND23_PLAN = {
    2301: (
        ("lawn_a23", "overshoot_pan", None, "door_light", "fade", 0.76),
        ("lawn_b23", "wave_rise", None, None, "diagtl", 1.4),
        ("aurora23", "dutch_pan", None, "flash", "fadegrays", 1.24),
        ("tramp_d23", "shake_pull", None, None, "dissolve", 1.88),
        ("tramp_c23", "corkscrew", None, "train_pass", "cut", 0.0),
        ("hop23", "rise_roll", None, None, "blurdissolve", 0.92),
        ("spiral23", "l_track", None, "neon_flicker", "coverleft", 0.64),
        ("hollow23", None, None, None, "cut", 0.0),
    ),
    2302: (
        ("avenue_a23", "snap_zoom", None, None, "hblur", 0.6),
        ("avenue_b23", "overshoot_pan", None, None, "fadeblack", 0.64),
        ("mist23", "wave_rise", None, "confetti", "irisdissolve", 0.6),
        ("plume_a23", "corkscrew", None, None, "easedissolve", 1.72),
        ("plume_b23", "dutch_pan", None, "strobe", "cut", 0.0),
        ("thicket_a23", "l_track", None, "focus_pull", "smoothleft", 1.08),
        ("thicket_b23", "shake_pull", None, None, "slidedown", 1.56),
        ("swarm23", "rise_roll", None, "hand_block", "cut", 0.0),
    ),
    2303: (
        ("phone_p23", "rise_roll", None, None, "dissolve", 0.76),
        ("phone_q23", "overshoot_pan", None, None, "cut", 0.0),
        ("apron_b23", "corkscrew", None, None, "fadeslow", 1.92),
        ("apron_a23", "snap_zoom", None, None, "hlwind", 1.08),
        ("swarm23", "wave_rise", None, "screen_on", "fadeblack", 1.92),
        ("cinder23", "l_track", None, None, "revealup", 0.92),
        ("lawn_b23", "dutch_pan", None, "fog_roll", "circleopen", 1.4),
        ("junction23", None, None, None, "cut", 0.0),
    ),
    2304: (
        ("flicks23", None, None, None, "wipebr", 0.64),
        ("hop23", "l_track", None, "near_crossing", "fade", 1.92),
        ("aurora23", "snap_zoom", None, "whip", "fadewhite", 0.76),
        ("tramp_c23", "wave_rise", None, "rs_wobble", "diagblinds", 1.72),
        ("mist23", "shake_pull", None, "light_switch", "horzopen", 1.88),
        ("plume_b23", "rise_roll", None, None, "slideleft", 1.88),
        ("spiral23", "overshoot_pan", None, "headlights", "fadefast", 0.6),
        ("junction23", "snap_zoom", None, None, "cut", 0.0),
    ),
}
ROUND23_SEEDS = range(2301, 2305)
TRANSITIONS_ROUND23 = tuple(
    row[4] for seed in ROUND23_SEEDS for row in ROUND23_PLAN[seed][:-1] if row[4] != "cut"
)
NEGATIVES_ROUND23 = tuple(row[3] for seed in ROUND23_SEEDS for row in ROUND23_PLAN[seed] if row[3])


# The round-24 held-back set (bench --round24, seeds 2401-2404), made as round 23's but at a
# frame rate no earlier set has (ROUND24_FPS, 30 fps): its durations are whole frames at 30 fps
# that are none at 25 fps (0.7, 0.9, 1.1, 1.3, 1.7 and 1.9 s: 21-57 frames in 6-frame steps),
# so no earlier set had them, 0.7 s five times, the rest four; shots of whole 0.1 s (3 frames).
# Its footage is its own (segments no earlier set starts at, graded its own ways, some played
# at 0.3x, 0.55x or 1.35x: ROUND24_SPEEDS, no earlier set's); 29 of 32 shots move over their
# whole length on eight earlier rounds' paths in a mix of their own (round 22's crab walk,
# rack tilt, swinging pan and sinking drone, round 23's overshooting pan, rise swaying
# sideways, corkscrew and L-shaped track); seven transitions between similar-looking shots of
# close colours, every one moving on both sides (ROUND24_SIMILAR): a 0.7 s fade, blurring
# dissolve (hblur) and dissolve, a 0.9 s smooth wipe up, a 1.7 s eased dissolve, a 1.9 s
# dissolve and slow fade; 25 transitions of 22 kinds in a shuffle of their own: fades (a fast
# and a slow one too), dissolves, a blurring one, an eased one, a dissolve through a blur and a
# soft iris (round 23's custom kinds), fades through black twice, through white and grey,
# wipes (a corner, a diagonal, a smooth one up, a wind right), a circle closing, a barn door
# opening, a squeeze, slides, a cover and a reveal; three hard cuts; no boxes; 15 hard
# negatives of earlier sets once each, every one inside a moving shot (a flash, rain streaks,
# headlights, a neon sign flickering, confetti, a colour strobe, a focus pull, a hand over the
# lens, a door opening onto light, fog rolling in, a close crossing, a whip pan, a
# rolling-shutter wobble, a light switched off, a train passing). Rows as ROUND16_PLAN's:
# source, move, box, negative, how it goes into the next shot, duration.
ROUND24_PLAN = {
    2401: (
        ("lawn_a24", "crab_walk", None, None, "fade", 0.7),
        ("lawn_b24", "swing_pan", None, "rain_streaks", "diagbr", 1.3),
        ("aurora24", "l_track", None, "flash", "fadegrays", 1.1),
        ("tramp_d24", "overshoot_pan", None, None, "dissolve", 1.9),
        ("tramp_c24", "corkscrew", None, "headlights", "coverright", 0.7),
        ("hop24", "drone_sink", None, None, "blurdissolve", 0.9),
        ("spiral24", "wave_rise", None, "neon_flicker", "cut", 0.0),
        ("hollow24", None, None, None, "cut", 0.0),
    ),
    2402: (
        ("avenue_a24", "rack_tilt", None, None, "hblur", 0.7),
        ("avenue_b24", "overshoot_pan", None, None, "fadeblack", 0.9),
        ("mist24", "crab_walk", None, "confetti", "irisdissolve", 1.1),
        ("plume_a24", "corkscrew", None, None, "easedissolve", 1.7),
        ("plume_b24", "swing_pan", None, "strobe", "cut", 0.0),
        ("thicket_a24", "l_track", None, "focus_pull", "smoothup", 0.9),
        ("thicket_b24", "drone_sink", None, None, "slideup", 1.3),
        ("swarm24", "wave_rise", None, "hand_block", "cut", 0.0),
    ),
    2403: (
        ("phone_p24", "wave_rise", None, None, "dissolve", 0.7),
        ("phone_q24", "crab_walk", None, None, "cut", 0.0),
        ("apron_b24", "rack_tilt", None, None, "fadeslow", 1.9),
        ("apron_a24", "overshoot_pan", None, None, "hrwind", 1.1),
        ("swarm24", "corkscrew", None, "door_light", "fadeblack", 1.7),
        ("cinder24", "l_track", None, None, "revealdown", 0.9),
        ("lawn_b24", "swing_pan", None, "fog_roll", "circleclose", 1.3),
        ("junction24", None, None, None, "cut", 0.0),
    ),
    2404: (
        ("flicks24", None, None, None, "wipetl", 1.1),
        ("hop24", "rack_tilt", None, "near_crossing", "fade", 1.7),
        ("aurora24", "drone_sink", None, "whip", "fadewhite", 0.7),
        ("tramp_c24", "wave_rise", None, "rs_wobble", "squeezev", 1.9),
        ("mist24", "l_track", None, "light_switch", "vertopen", 1.3),
        ("plume_b24", "corkscrew", None, None, "slideright", 1.9),
        ("spiral24", "overshoot_pan", None, "train_pass", "fadefast", 1.7),
        ("junction24", "crab_walk", None, None, "cut", 0.0),
    ),
}
ROUND24_SEEDS = range(2401, 2405)
TRANSITIONS_ROUND24 = tuple(
    row[4] for seed in ROUND24_SEEDS for row in ROUND24_PLAN[seed][:-1] if row[4] != "cut"
)
NEGATIVES_ROUND24 = tuple(row[3] for seed in ROUND24_SEEDS for row in ROUND24_PLAN[seed] if row[3])


# The round-25 held-back set (bench --round25, seeds 2501-2504), made as round 24's but at film's
# frame rate (ROUND25_FPS, 24 fps), which no earlier set has: its durations are whole frames at
# 24 fps in eighths of a second that are none at 25 or 30 fps (0.625, 0.875, 1.125, 1.375, 1.625
# and 1.875 s: 15-45 frames in 6-frame steps), so no earlier set had them, 0.625 s five times,
# the rest four; shots of whole quarters of a second (6 frames). Its footage is the stretches
# earlier sets read least, at starts and ends of its own, graded its own ways and played at
# 0.25x, 0.85x or 0.9x (ROUND25_SPEEDS, no earlier set's); 29 of 32 shots move over their
# whole length on eight earlier rounds' paths none of round 24's, in a mix of their own (round
# 19's reversing pan and tripod bump, round 20's orbit and drone drift, round 21's figure eight
# and boat sway, round 22's arc over and push-pull); seven transitions between similar-looking
# shots of close colours, every one moving on both sides (ROUND25_SIMILAR): a 0.625 s fade and
# dissolve, a 0.875 s luma dissolve, a 1.125 s ripple and film-burn dissolve, a 1.375 s
# blurring dissolve (hblur), a 1.875 s dissolve; 25 transitions of 22 kinds in a shuffle of
# their own: five custom kinds no earlier set has (a pinwheel wipe, a checkerboard wipe, a
# ripple dissolve, a film-burn dissolve through a warm light leak, a luma dissolve: the
# outgoing shot's brightest parts first), fades, dissolves, a blurring one, fades through
# black twice, through white and grey, a circle crop, a rectangle crop, a distance
# dissolve, a zoom in, slices up and right, a wind down, a squeeze, a slide, a cover and a
# reveal, every one at a duration no earlier set has; three hard cuts; no boxes; 15 hard
# negatives once each, every one inside a moving shot, three new (a light leak, an iris
# closing to a circle and opening again, a puff of smoke) and twelve of earlier sets (a lens
# flare, exposure pumping, a 10 Hz shutter flicker, a white-balance snap, fireworks, a fast
# zoom, a bird crossing close, a lower third, someone filling the frame, an overexposure, a
# screen switched on, a shadow band). Rows as ROUND16_PLAN's: source, move, box, negative,
# how it goes into the next shot, duration.
ROUND25_PLAN = {
    2501: (
        ("lane_a25", "orbit", None, "lens_flare", "ripple", 1.125),
        ("lane_b25", "drone_drift", None, "light_leak", "circlecrop", 0.875),
        ("dunes25", "boat_sway", None, "exposure_pump", "fadeblack", 1.625),
        ("perch_a25", "figure_eight", None, None, "lumadissolve", 0.875),
        ("perch_b25", "pan_reverse", None, None, "fade", 0.625),
        ("perch_c25", "drift_bump", None, None, "cut", 0.0),
        ("kerb25", "arc_over", None, "iris_pulse", "pinwheel", 1.375),
        ("smoke25", "push_pull", None, "shutter_flicker", "cut", 0.0),
    ),
    2502: (
        ("burrow_a25", "boat_sway", None, None, "dissolve", 0.625),
        ("burrow_b25", "orbit", None, None, "vuslice", 0.875),
        ("cells25", "figure_eight", None, "smoke_puff", "checkerwipe", 1.125),
        ("glade25", "drift_bump", None, "wb_shift", "cut", 0.0),
        ("lane_b25", "pan_reverse", None, "fireworks", "coverleft", 1.625),
        ("swirl25", "arc_over", None, "zoom_fast", "fadewhite", 1.875),
        ("kerb25", "drone_drift", None, "bird_pass", "hrslice", 0.625),
        ("perch_a25", None, None, None, "cut", 0.0),
    ),
    2503: (
        ("dunes25", "pan_reverse", None, "lower_third", "rectcrop", 1.625),
        ("kerb25", "figure_eight", None, None, "hblur", 1.375),
        ("lane_a25", "boat_sway", None, "fill_frame", "cut", 0.0),
        ("perch_b25", "orbit", None, None, "distance", 1.125),
        ("smoke25", "drift_bump", None, "overexpose", "squeezeh", 0.875),
        ("lane_b25", "arc_over", None, None, "dissolve", 1.875),
        ("kerb25", "push_pull", None, "screen_on", "fadegrays", 1.375),
        ("cells25", None, None, None, "cut", 0.0),
    ),
    2504: (
        ("swirl25", "boat_sway", None, None, "fadeblack", 1.625),
        ("glade25", "figure_eight", None, None, "burndissolve", 1.125),
        ("burrow_a25", "drift_bump", None, None, "revealright", 0.625),
        ("perch_a25", None, None, None, "fade", 0.625),
        ("lane_a25", "arc_over", None, None, "zoomin", 1.375),
        ("dunes25", "orbit", None, None, "slideup", 1.875),
        ("kerb25", "push_pull", None, None, "vdwind", 1.875),
        ("lane_b25", "drone_drift", None, "shadow_band", "cut", 0.0),
    ),
}
ROUND25_SEEDS = range(2501, 2505)
TRANSITIONS_ROUND25 = tuple(
    row[4] for seed in ROUND25_SEEDS for row in ROUND25_PLAN[seed][:-1] if row[4] != "cut"
)
NEGATIVES_ROUND25 = tuple(row[3] for seed in ROUND25_SEEDS for row in ROUND25_PLAN[seed] if row[3])


# The round-26 held-back set (bench --round26, seeds 2601-2604), made as round 25's but at
# 20 fps (ROUND26_FPS), which no earlier set has: its durations are whole frames at 20 fps in
# odd twentieths of a second that are none at 24, 25 or 30 fps (0.55 s five times, 0.85, 1.05,
# 1.35, 1.65 and 1.95 s four times: 11-39 frames), so no earlier set had them; shots of whole
# frames. Its footage is bikes' first shot, which no earlier segment read, its next two and
# cockatoo after its blur, at starts and ends of their own, graded their own ways and played
# at 0.2x or 0.58x (ROUND26_SPEEDS, no earlier set's); 29 of 32 shots move over their whole
# length on eight earlier rounds' paths, none of round 24's or 25's, in a mix of their own
# (round 19's stopping whip pan and slow rotation, round 20's crane up and spiral in, round
# 21's walk forward and drift with a roll, round 22's slow roll, round 23's snap zoom); seven
# transitions between similar-looking shots of close colours, every one moving on both sides
# (ROUND26_SIMILAR): a 0.85 s fade, a 0.55 s hblur and dissolve, a 1.05 s luma dissolve, a
# 1.35 s ripple, a 1.65 s distance dissolve, a 1.95 s dissolve; 25 transitions of 22 earlier
# kinds in a shuffle of their own, every one at a duration no earlier set has; three hard
# cuts; no boxes; 15 earlier sets' hard negatives once each, every one inside a moving shot.
# Rows as ROUND16_PLAN's: source, move, box, negative, how it goes into the next shot,
# duration.
ROUND26_PLAN = {
    2601: (
        ("yard_a26", "walk_forward", None, None, "fade", 0.85),
        ("yard_b26", "drift_roll", None, None, "hblur", 0.55),
        ("alley26", "slow_roll", None, None, "dissolve", 0.55),
        ("kerb26", "snap_zoom", None, "neon_flicker", "cut", 0.0),
        ("sands26", "whip_stop_right", None, "light_leak", "circlecrop", 0.85),
        ("roost_a26", "rotate_slow", None, "iris_pulse", "lumadissolve", 1.05),
        ("roost_b26", "crane_up", None, None, "ripple", 1.35),
        ("roost_c26", "spiral_in", None, None, "cut", 0.0),
    ),
    2602: (
        ("mist26", "crane_up", None, "door_light", "fadeblack", 1.35),
        ("kerb26", "spiral_in", None, "train_pass", "distance", 1.65),
        ("yard_a26", "rotate_slow", None, None, "diagbl", 0.55),
        ("cells26", "walk_forward", None, "confetti", "cut", 0.0),
        ("fractal26", None, None, None, "revealup", 0.55),
        ("roost_c26", "drift_roll", None, None, "dissolve", 1.95),
        ("roost_a26", "whip_stop_right", None, "smoke_puff", "vdslice", 0.85),
        ("sands26", "slow_roll", None, "rain_streaks", "cut", 0.0),
    ),
    2603: (
        ("cells26", "snap_zoom", None, "headlights", "fadewhite", 1.95),
        ("alley26", "whip_stop_right", None, "fog_roll", "smoothright", 1.05),
        ("mist26", "rotate_slow", None, None, "fadegrays", 1.05),
        ("fractal26", "crane_up", None, "light_switch", "cut", 0.0),
        ("yard_b26", "snap_zoom", None, None, "fade", 0.55),
        ("sands26", "spiral_in", None, "double_flash", "hlslice", 1.65),
        ("kerb26", "walk_forward", None, None, "rectcrop", 1.95),
        ("cells26", None, None, None, "cut", 0.0),
    ),
    2604: (
        ("fractal26", "drift_roll", None, "rs_wobble", "fadeblack", 1.65),
        ("roost_b26", "walk_forward", None, "dim", "slideleft", 1.05),
        ("mist26", "snap_zoom", None, None, "radial", 1.65),
        ("alley26", "crane_up", None, None, "hrwind", 1.35),
        ("cells26", "rotate_slow", None, "focus_pull", "coverdown", 1.95),
        ("sands26", None, None, None, "horzclose", 1.35),
        ("mist26", "whip_stop_right", None, None, "circleclose", 0.85),
        ("kerb26", "slow_roll", None, None, "cut", 0.0),
    ),
}
ROUND26_SEEDS = range(2601, 2605)
TRANSITIONS_ROUND26 = tuple(
    row[4] for seed in ROUND26_SEEDS for row in ROUND26_PLAN[seed][:-1] if row[4] != "cut"
)
NEGATIVES_ROUND26 = tuple(row[3] for seed in ROUND26_SEEDS for row in ROUND26_PLAN[seed] if row[3])


# The round-27 held-back set (bench --round27, seeds 2701-2704), made as round 26's but at
# 50 fps (ROUND27_FPS), which no earlier set has: its durations are whole frames at 50 fps in
# odd fiftieths of a second that are none at 20, 24, 25 or 30 fps (0.62 s five times, 0.86,
# 1.14, 1.38, 1.66 and 1.94 s four times: 31-97 frames), so no earlier set had them; shots of
# whole frames. Its footage is cockatoo from just after its whip, its own slow refocus (read
# by no earlier segment) and on to its end, and three of bikes' shots, at starts and ends of
# their own, graded their own ways and played at 0.42x or 0.28x (ROUND27_SPEEDS, no earlier
# set's); 29 of 32 shots move over their whole length on eight earlier rounds' paths, none of
# rounds 24-26's, in a mix of their own (round 17's handheld pan, round 18's decelerating pan
# and walk, round 19's push with a drift, round 20's zigzag drift, round 21's push with a
# shake, round 22's orbit with a zoom, round 23's Dutch-angle pan); seven transitions between
# similar-looking shots of close colours, every one moving on both sides and soft
# (ROUND27_SIMILAR): a 0.62 s hblur and dissolve, a 0.86 s blurring dissolve, a 1.14 s hazy
# dissolve, a 1.38 s dissolve, a 1.66 s eased dissolve, a 1.94 s fade; 25 transitions of 22 kinds
# in a shuffle of their own, four custom kinds no earlier set has (a clock wipe with a soft
# edge, a dip to amber, a push down eased in and out, a dissolve through a haze) and earlier
# kinds (fades, dissolves, a blurring one, an hblur, an eased one, fades through black twice
# and white, a smooth wipe, a diagonal, a radial wipe, a soft corner wipe, a circle opening, a
# barn door closing, a squeeze, a distance dissolve, a slide, a cover, a reveal), every one at
# a duration no earlier set has; three hard cuts; no boxes; 15 hard negatives once each,
# every one inside a moving shot, four new (a knock on the camera, a slow defocus and
# refocus, a cloud's shadow passing, a fluorescent tube failing) and eleven of earlier sets
# (a lens flare, a light leak, a white-balance snap, a neon flicker, a strobe, someone filling
# the frame, exposure pumping, a bird crossing close, fog rolling in, headlights, an
# overexposure). Rows as ROUND16_PLAN's: source, move, box, negative, how it goes into the
# next shot, duration.
ROUND27_PLAN = {
    2701: (
        ("focus_a27", "handheld_pan", None, "slow_refocus", "hblur", 0.62),
        ("focus_b27", "push_drift", None, None, "blurdissolve", 0.86),
        ("crest27", "orbit_zoom", None, "camera_jolt", "cut", 0.0),
        ("zone27", "pan_decel_left", None, "lens_flare", "softclock", 1.38),
        ("ride_a27", "walk", None, None, "dissolve", 0.62),
        ("ride_b27", "zigzag_drift", None, "wb_shift", "dipamber", 1.14),
        ("noise27", "dutch_pan", None, None, "smoothleft", 0.62),
        ("lane27", "push_shake", None, None, "cut", 0.0),
    ),
    2702: (
        ("spiral27", "push_shake", None, "cloud_shadow", "fadeblack", 1.66),
        ("crest27", "walk", None, None, "hazedissolve", 1.14),
        ("focus_a27", "dutch_pan", None, "tube_flicker", "pushdown", 0.86),
        ("tri27", None, None, None, "cut", 0.0),
        ("ride_b27", "handheld_pan", None, "neon_flicker", "dissolve", 1.38),
        ("lane27", "orbit_zoom", None, None, "easedissolve", 1.66),
        ("gate27", "zigzag_drift", None, None, "radial", 1.94),
        ("zone27", "pan_decel_left", None, "light_leak", "cut", 0.0),
    ),
    2703: (
        ("gate27", "push_drift", None, None, "fade", 1.94),
        ("ride_a27", "dutch_pan", None, None, "diagtr", 0.62),
        ("noise27", "walk", None, "strobe", "fadewhite", 1.38),
        ("focus_b27", "zigzag_drift", None, "fill_frame", "cut", 0.0),
        ("spiral27", "orbit_zoom", None, "exposure_pump", "circleopen", 0.86),
        ("crest27", "handheld_pan", None, "bird_pass", "squeezev", 1.14),
        ("tri27", "push_shake", None, "fog_roll", "softcornerwipe", 1.94),
        ("ride_a27", None, None, None, "cut", 0.0),
    ),
    2704: (
        ("zone27", "walk", None, "headlights", "distance", 1.66),
        ("noise27", "push_drift", None, None, "fadeblack", 0.86),
        ("spiral27", "dutch_pan", None, None, "vertclose", 1.66),
        ("focus_b27", "orbit_zoom", None, "overexpose", "coverup", 1.38),
        ("tri27", "zigzag_drift", None, None, "fade", 1.14),
        ("lane27", "pan_decel_left", None, None, "slideright", 1.94),
        ("crest27", "handheld_pan", None, None, "revealleft", 0.62),
        ("ride_b27", None, None, None, "cut", 0.0),
    ),
}
ROUND27_SEEDS = range(2701, 2705)
TRANSITIONS_ROUND27 = tuple(
    row[4] for seed in ROUND27_SEEDS for row in ROUND27_PLAN[seed][:-1] if row[4] != "cut"
)
NEGATIVES_ROUND27 = tuple(row[3] for seed in ROUND27_SEEDS for row in ROUND27_PLAN[seed] if row[3])


# The round-28 held-back set (bench --round28, seeds 2801-2804), made as round 27's but at
# 48 fps (ROUND28_FPS), which no earlier set has: its durations are whole frames at 48 fps in
# odd sixteenths of a second that are none at 20, 24, 25, 30 or 50 fps (0.6875 s five times,
# 0.8125, 1.0625, 1.3125, 1.5625 and 1.8125 s four times: 33-87 frames), so no earlier set had
# them; shots of whole sixteenths (3 frames). Its footage is the stretches earlier segments
# read least: bikes' first shot (its first 0.06 s read by none) and its third, and
# big_buck_bunny_0_30's shot after its last cut (before the titles), at starts and ends of
# their own, graded their own ways (a pink dawn street, an evening glow) and played at 0.18x
# or 0.19x (ROUND28_SPEEDS, no earlier set's); 29 of 32 shots move over their
# whole length on eight earlier rounds' paths, none of rounds 24-27's, in a mix of their own
# (round 17's handheld drift and eased pan, round 18's arc, round 19's pull out with a tilt,
# round 20's ramped pan, round 21's boom down, round 23's shaking pull back and rising roll);
# seven transitions between similar-looking shots of close colours, every one moving on both
# sides and soft (ROUND28_SIMILAR): a 0.6875 s dissolve and hblur, a 0.8125 s eased dissolve,
# a 1.0625 s mosaic dissolve, a 1.3125 s dissolve, a 1.5625 s luma dissolve, a 1.8125 s fade;
# 25 transitions of 22 kinds in a shuffle of their own, four custom kinds no earlier set has
# (a spin, a dissolve through a white flash, a slide with parallax, a mosaic dissolve) and
# earlier kinds (fades, dissolves, an hblur, an eased and a luma dissolve, fades through black
# twice and grey, a wipe down, a diagonal, a clock wipe, a wind, a smooth wipe up, an iris
# closing, a barn door opening, a squeeze, a slide, a cover, a reveal), every one at a
# duration no earlier set has; three hard cuts; no boxes; 15 hard negatives once each, every
# one inside a moving shot, four new (a burst of photographers' flashes, heat shimmer,
# lightning, a car's headlights glaring into the lens) and eleven of earlier sets (a lens
# flare, a light leak, a white-balance snap, a neon flicker, a strobe, fog rolling in, a bird
# crossing close, a knock on the camera, a cloud's shadow, a puff of smoke, rain streaks).
# Rows as ROUND16_PLAN's: source, move, box, negative, how it goes into the next shot,
# duration.
ROUND28_PLAN = {
    2801: (
        ("dawn_a28", "handheld", None, None, "dissolve", 0.6875),
        ("dawn_b28", "arc", None, None, "hblur", 0.6875),
        ("kerb28", "zoom_out_tilt", None, "lightning", "easedissolve", 0.8125),
        ("verge28", "ramp_pan_left", None, None, "fade", 1.8125),
        ("dawn_a28", "boom_down_right", None, None, "cut", 0.0),
        ("dusk28", None, None, None, "spindissolve", 1.3125),
        ("glow_a28", "shake_pull", None, "flash_burst", "mosaicdissolve", 1.0625),
        ("glow_b28", "rise_roll", None, None, "cut", 0.0),
    ),
    2802: (
        ("rule28", "pan_eased_right", None, "heat_shimmer", "fadeblack", 0.8125),
        ("glow_b28", "handheld", None, None, "dissolve", 1.3125),
        ("glow_c28", "arc", None, "headlight_glare", "lumadissolve", 1.5625),
        ("glow_a28", "zoom_out_tilt", None, None, "parallaxslide", 1.0625),
        ("lava28", "ramp_pan_left", None, "lens_flare", "cut", 0.0),
        ("verge28", "boom_down_right", None, None, "wipedown", 0.6875),
        ("colony28", None, None, None, "clockwipe", 1.8125),
        ("kerb28", "shake_pull", None, "wb_shift", "cut", 0.0),
    ),
    2803: (
        ("dusk28", "rise_roll", None, "fog_roll", "flashdissolve", 0.8125),
        ("dawn_b28", "pan_eased_right", None, None, "fade", 1.0625),
        ("lava28", "handheld", None, "neon_flicker", "fadeblack", 1.5625),
        ("glow_c28", "arc", None, "strobe", "cut", 0.0),
        ("rule28", None, None, None, "diagtl", 1.3125),
        ("verge28", "zoom_out_tilt", None, "bird_pass", "squeezeh", 0.8125),
        ("colony28", "ramp_pan_left", None, "camera_jolt", "hlwind", 0.6875),
        ("glow_b28", "boom_down_right", None, None, "cut", 0.0),
    ),
    2804: (
        ("colony28", "shake_pull", None, "light_leak", "fadegrays", 1.8125),
        ("kerb28", "rise_roll", None, "smoke_puff", "circleclose", 1.3125),
        ("dusk28", "pan_eased_right", None, "rain_streaks", "horzopen", 1.0625),
        ("glow_a28", "handheld", None, None, "coverright", 0.6875),
        ("rule28", "arc", None, "cloud_shadow", "smoothup", 1.5625),
        ("verge28", "zoom_out_tilt", None, None, "slidedown", 1.8125),
        ("lava28", "ramp_pan_left", None, None, "revealdown", 1.5625),
        ("dawn_a28", "boom_down_right", None, None, "cut", 0.0),
    ),
}
ROUND28_SEEDS = range(2801, 2805)
TRANSITIONS_ROUND28 = tuple(
    row[4] for seed in ROUND28_SEEDS for row in ROUND28_PLAN[seed][:-1] if row[4] != "cut"
)
NEGATIVES_ROUND28 = tuple(row[3] for seed in ROUND28_SEEDS for row in ROUND28_PLAN[seed] if row[3])


# The round-29 held-back set (bench --round29, seeds 2901-2904), made as round 28's but at
# 60 fps (ROUND29_FPS), which no earlier set has: its durations are whole frames at 60 fps that
# are none at 20, 24, 25, 30, 48 or 50 fps (43 frames five times, 53, 67, 79, 97 and 113 frames
# four times: 0.7167-1.8833 s), so no earlier set had them; shots of whole twentieths (3
# frames), each video's durations before its cut and in all whole twentieths. Its footage is
# bikes' fifth shot and cockatoo from its whip, at starts and ends of their own, graded their
# own ways (a hard noon street, a sage aviary) and played at 0.16x or 0.17x (ROUND29_SPEEDS, no
# earlier set's); 29 of 32 shots move over their whole length on eight earlier rounds' paths,
# none of rounds 24-28's, in a mix of their own (round 17's creep left and push in, round
# 18's diagonal drift, pan that stops, late tilt up and zoom with a pan, round 19's bobbing
# walk, round 20's dolly zoom); seven transitions between similar-looking shots of close
# colours, every one moving on both sides and soft (ROUND29_SIMILAR): a 43-frame dissolve and
# hblur, a 53-frame eased dissolve, a 67-frame channel-staggered dissolve, a 79-frame
# dissolve, a 97-frame swirl dissolve, a 113-frame fade; 25 transitions of 22 kinds in a
# shuffle of their own, four custom kinds no earlier set has (a dissolve staggered by colour
# channel, a swirl dissolve, a random tile wipe, an ink wipe) and earlier kinds (fades,
# dissolves, an hblur, an eased dissolve, fades through black twice and grey, a pixelize, a
# radial wipe, a wipe to the top right, a smooth wipe left, a diagonal, a wind, an iris
# opening, a barn door closing, a vertical squeeze, a slide, a cover, a reveal), every one at a
# duration no earlier set has; three hard cuts; no boxes; 15 hard negatives once each, every
# one inside a moving shot, four new (a windscreen wiper, a colour wheel turning, a burst of
# interference, the picture rolling once) and eleven of earlier sets (a strobe, a whip pan
# that stays, a rolling-shutter wobble, a lens flare, a crash zoom, a knock on the camera,
# heat shimmer, lightning, a fluorescent tube failing, a light switched off, exposure
# pumping). Rows as ROUND16_PLAN's: source, move, box, negative, how it goes into the next
# shot, duration.
ROUND29_PLAN = {
    2901: (
        ("noon_a29", "bob_walk", None, None, "dissolve", 43 / 60),
        ("noon_b29", "creep_left", None, None, "hblur", 43 / 60),
        ("alley29", "dolly_zoom", None, "wiper_sweep", "channeldissolve", 67 / 60),
        ("curb29", "drift_down_right", None, None, "cut", 0.0),
        ("tide29", None, None, None, "wipetr", 43 / 60),
        ("sage_a29", "pan_stop_right", None, "strobe", "swirldissolve", 97 / 60),
        ("sage_b29", "push_in", None, None, "radial", 79 / 60),
        ("carpet29", "tilt_late_up", None, "rs_wobble", "cut", 0.0),
    ),
    2902: (
        ("fractal29", "zoom_pan_left", None, "static_burst", "fadeblack", 97 / 60),
        ("sage_c29", "bob_walk", None, None, "fadegrays", 113 / 60),
        ("ember29", "creep_left", None, "lens_flare", "cut", 0.0),
        ("curb29", "dolly_zoom", None, None, "dissolve", 79 / 60),
        ("noon_a29", "drift_down_right", None, "hue_sweep", "tilewipe", 53 / 60),
        ("tide29", None, None, None, "coverup", 43 / 60),
        ("alley29", "push_in", None, "whip", "vertclose", 113 / 60),
        ("sage_b29", "tilt_late_up", None, "camera_jolt", "cut", 0.0),
    ),
    2903: (
        ("carpet29", "bob_walk", None, "vertical_roll", "hrwind", 43 / 60),
        ("noon_b29", "creep_left", None, None, "squeezev", 53 / 60),
        ("fractal29", "dolly_zoom", None, "zoom_fast", "cut", 0.0),
        ("sage_b29", "drift_down_right", None, None, "easedissolve", 53 / 60),
        ("sage_c29", "pan_stop_right", None, None, "fade", 113 / 60),
        ("sage_a29", "push_in", None, "heat_shimmer", "pixelize", 79 / 60),
        ("ember29", "tilt_late_up", None, "lightning", "slideleft", 67 / 60),
        ("curb29", "zoom_pan_left", None, "tube_flicker", "cut", 0.0),
    ),
    2904: (
        ("tide29", "zoom_pan_left", None, "light_switch", "fade", 67 / 60),
        ("alley29", "bob_walk", None, None, "fadeblack", 53 / 60),
        ("ember29", "creep_left", None, "exposure_pump", "circleopen", 67 / 60),
        ("noon_b29", "dolly_zoom", None, None, "inkwipe", 97 / 60),
        ("carpet29", None, None, None, "diagbr", 113 / 60),
        ("sage_c29", "drift_down_right", None, None, "revealleft", 79 / 60),
        ("fractal29", "pan_stop_right", None, None, "smoothleft", 97 / 60),
        ("noon_a29", "push_in", None, None, "cut", 0.0),
    ),
}
ROUND29_SEEDS = range(2901, 2905)
TRANSITIONS_ROUND29 = tuple(
    row[4] for seed in ROUND29_SEEDS for row in ROUND29_PLAN[seed][:-1] if row[4] != "cut"
)
NEGATIVES_ROUND29 = tuple(row[3] for seed in ROUND29_SEEDS for row in ROUND29_PLAN[seed] if row[3])


def plan_shots(plan: dict, seed: int, count: int = 8, steps: int = 25) -> list[Shot]:
    """The video `seed` of a fixed plan (ROUND16_PLAN to ROUND29_PLAN): its first `count` rows,
    each shot long enough for its transitions, 2.5 s clean and 2 s more around a negative, up
    to 1 s longer (drawn with `seed`), in whole 1 / `steps` s (frames at 25 fps; round 24's
    tenths are 3 frames at 30, round 25's quarters 6 at 24, round 26's twentieths 1 at 20,
    round 27's fiftieths 1 at 50, round 28's sixteenths 3 at 48, round 29's twentieths 3 at
    60), within its footage's usable seconds."""
    rng = random.Random(seed)
    rows = plan[seed][:count]
    shots = [
        Shot(s, 0.0, neg, into, into_s, move=move, box=box)
        for s, move, box, neg, into, into_s in rows
    ]
    shots[-1].into, shots[-1].into_s = "cut", 0.0
    real = REAL_SHOTS_ROUND16 | REAL_SHOTS_ROUND17 | REAL_SHOTS_ROUND18 | REAL_SHOTS_ROUND19
    real |= REAL_SHOTS_ROUND20 | REAL_SHOTS_ROUND21 | REAL_SHOTS_ROUND22 | REAL_SHOTS_ROUND23
    real |= REAL_SHOTS_ROUND24 | REAL_SHOTS_ROUND25 | REAL_SHOTS_ROUND26 | REAL_SHOTS_ROUND27
    real |= REAL_SHOTS_ROUND28 | REAL_SHOTS_ROUND29
    for k, shot in enumerate(shots):
        before = shots[k - 1].into_s if k else 0.0
        need = math.ceil((before + shot.into_s + (4.5 if shot.negative else 2.5)) * steps - 1e-6)
        usable = real[shot.source][2] if shot.source in real else 30.0
        most = int(min(usable, need / steps + 1.0) * steps + 1e-6)
        if most < need:
            raise ValueError(f"{shot.source} has {usable}s, not {need / steps}s")
        shot.length_s = round(rng.randint(need, most) / steps, 4)  # sixteenths: 4 places
    return shots


# The moving-edge development cases (bench --edge, seeds 27-60): reveals, covers, wipes, slides,
# smooth wipes, diagonals and squeezes between the development and earlier held-back sources,
# fades out of a shaky shot, every negative plus a shake over a whole shot.
_EDGE_FAMILIES = ("reveal", "cover", "wipe", "slide", "smooth")
TRANSITIONS_EDGE = (
    *(f"{f}{way}" for f in _EDGE_FAMILIES for way in ("left", "right", "up", "down")),
    *("wipetl", "wipetr", "wipebl", "wipebr", "diagtl", "diagtr", "diagbl", "diagbr"),
    *("squeezeh", "squeezev", "fadeblack", "fade"),
)
NEGATIVES_EDGE = (*NEGATIVES_FRESH, "shaky", "shaky")


def random_shots(
    seed: int,
    count: int,
    held_back: bool,
    new: bool = False,
    fresh: bool = False,
    final: bool = False,
    last: bool = False,
    edge: bool = False,
    next_set: bool = False,
    round12: bool = False,
    wipes: bool = False,
    round13: bool = False,
    round14: bool = False,
    round15: bool = False,
    round16: bool = False,
    round17: bool = False,
    round18: bool = False,
    round19: bool = False,
    round20: bool = False,
    round21: bool = False,
    round22: bool = False,
    round23: bool = False,
    round24: bool = False,
    round25: bool = False,
    round26: bool = False,
    round27: bool = False,
    round28: bool = False,
    round29: bool = False,
) -> list[Shot]:
    """`count` shots from distinct sources, joined by a random mix of cuts and transitions of
    0.5-2 s, every other shot with a hard negative. `new`: the new held-back set (other
    transition kinds, more sources, a shake among the negatives); `fresh`: the fresh one
    (other xfade kinds, segments and lavfi sources, a tilt and a spin among the negatives);
    `final`: the final one (later segments of the real shots, other lavfi sources and xfade
    kinds, every negative); `last`: the last one (flipped and cropped real footage, lavfi
    sources and xfade kinds no other set uses, mostly reveals, covers, wipes, slides and
    squeezes, every negative in turn plus a whip pan and a wide object); `next_set`: the next
    one (real footage flipped upside down, cropped elsewhere or recoloured, lavfi sources with
    other settings mixed with a few earlier ones, xfade kinds of every family and four custom
    ones in turn, durations from 0.5 to 2 s in quarter steps too, every negative in turn);
    `round12`: the round-12 one (as `next_set`, with its own footage, sources, custom kinds and
    order); `wipes`: the wipes development set (wipes and slides of every direction and shape
    in turn, half the shots synthetic pictures, edge-moving negatives in turn); `round13`: the
    round-13 held-back one (as `round12`, with its own footage, sources, kinds and order);
    `round14`: the round-14 held-back one (its own footage, played faster or slower too,
    sources, kinds and order, plus the negatives and wipes of TRANSITIONS_ROUND14's note);
    `round15`: the round-15 held-back one (see TRANSITIONS_ROUND15's note); `round16`: the
    round-16 held-back one (ROUND16_PLAN, see its note); `round17`: the round-17 held-back one
    (ROUND17_PLAN, see its note); `round18`: the round-18 held-back one (ROUND18_PLAN, see its
    note); `round19`: the round-19 held-back one (ROUND19_PLAN, see its note); `round20`: the
    round-20 held-back one (ROUND20_PLAN, see its note); `round21`: the round-21 held-back one
    (ROUND21_PLAN, see its note); `round22`: the round-22 held-back one (ROUND22_PLAN, see its
    note); `round23`: the round-23 held-back one (ROUND23_PLAN, see its note); `round24`: the
    round-24 held-back one (ROUND24_PLAN, see its note; rendered at ROUND24_FPS); `round25`:
    the round-25 held-back one (ROUND25_PLAN, see its note; rendered at ROUND25_FPS);
    `round26`: the round-26 held-back one (ROUND26_PLAN, see its note; rendered at
    ROUND26_FPS); `round27`: the round-27 held-back one (ROUND27_PLAN, see its note; rendered
    at ROUND27_FPS); `round28`: the round-28 held-back one (ROUND28_PLAN, see its note;
    rendered at ROUND28_FPS); `round29`: the round-29 held-back one (ROUND29_PLAN, see its
    note; rendered at ROUND29_FPS)."""
    if round16:
        return round16_shots(seed, count)
    if round17:
        return plan_shots(ROUND17_PLAN, seed, count)
    if round18:
        return plan_shots(ROUND18_PLAN, seed, count)
    if round19:
        return plan_shots(ROUND19_PLAN, seed, count)
    if round20:
        return plan_shots(ROUND20_PLAN, seed, count)
    if round21:
        return plan_shots(ROUND21_PLAN, seed, count)
    if round22:
        return plan_shots(ROUND22_PLAN, seed, count)
    if round23:
        return plan_shots(ROUND23_PLAN, seed, count)
    if round24:  # shots of whole tenths of a second: 3 frames at 30 fps
        return plan_shots(ROUND24_PLAN, seed, count, steps=10)
    if round25:  # shots of whole quarters of a second: 6 frames at 24 fps
        return plan_shots(ROUND25_PLAN, seed, count, steps=4)
    if round26:  # shots of whole frames at 20 fps
        return plan_shots(ROUND26_PLAN, seed, count, steps=20)
    if round27:  # shots of whole frames at 50 fps
        return plan_shots(ROUND27_PLAN, seed, count, steps=50)
    if round28:  # shots of whole sixteenths: 3 frames at 48 fps
        return plan_shots(ROUND28_PLAN, seed, count, steps=16)
    if round29:  # shots of whole twentieths: 3 frames at 60 fps
        return plan_shots(ROUND29_PLAN, seed, count, steps=20)
    rng = random.Random(seed)
    kinds = TRANSITIONS_HELD if held_back else TRANSITIONS_DEV
    real = sorted(REAL_SHOTS)
    synthetic = sorted(SYNTHETIC_SHOTS)
    negatives = NEGATIVES
    if new:
        kinds, negatives = TRANSITIONS_NEW, NEGATIVES_NEW
        real = sorted(REAL_SHOTS | REAL_SHOTS_NEW)
        synthetic = sorted(SYNTHETIC_SHOTS | SYNTHETIC_SHOTS_NEW)
    if fresh:
        kinds, negatives = TRANSITIONS_FRESH, NEGATIVES_FRESH
        real = sorted(REAL_SHOTS_FRESH | REAL_SHOTS_NEW)
        synthetic = sorted(SYNTHETIC_SHOTS_FRESH | SYNTHETIC_SHOTS_NEW)
    if final:
        kinds, negatives = TRANSITIONS_FINAL, NEGATIVES_FRESH
        real = sorted(REAL_SHOTS_FINAL | REAL_SHOTS_NEW)
        synthetic = sorted(SYNTHETIC_SHOTS_FINAL | SYNTHETIC_SHOTS_NEW)
    if edge:
        kinds, negatives = TRANSITIONS_EDGE, NEGATIVES_EDGE
        real = sorted(REAL_SHOTS | REAL_SHOTS_NEW | REAL_SHOTS_FINAL)
        synthetic = sorted(SYNTHETIC_SHOTS | SYNTHETIC_SHOTS_FRESH | SYNTHETIC_SHOTS_FINAL)
    if last:
        kinds, negatives = TRANSITIONS_LAST, NEGATIVES_LAST
        real = sorted(REAL_SHOTS_LAST)
        synthetic = sorted(SYNTHETIC_SHOTS_LAST)
    if next_set:
        kinds, negatives = TRANSITIONS_NEXT, NEGATIVES_NEXT
        real = sorted(REAL_SHOTS_NEXT)
        synthetic = sorted(SYNTHETIC_SHOTS_NEXT)
    if round12:
        kinds, negatives = TRANSITIONS_ROUND12, NEGATIVES_ROUND12
        real = sorted(REAL_SHOTS_ROUND12)
        synthetic = sorted(SYNTHETIC_SHOTS_ROUND12)
        negatives = random.Random(901).sample(negatives, len(negatives))
    if wipes:
        kinds, negatives = TRANSITIONS_WIPES, NEGATIVES_WIPES
        real = sorted(REAL_SHOTS_WIPES)
        synthetic = sorted(SYNTHETIC_SHOTS_WIPES)
    if round13:
        kinds, negatives = TRANSITIONS_ROUND13, NEGATIVES_ROUND13
        real = sorted(REAL_SHOTS_ROUND13)
        synthetic = sorted(SYNTHETIC_SHOTS_ROUND13)
        negatives = random.Random(1001).sample(negatives, len(negatives))
    if round14:
        kinds, negatives = TRANSITIONS_ROUND14, NEGATIVES_ROUND14
        real = sorted(REAL_SHOTS_ROUND14)
        synthetic = sorted(SYNTHETIC_SHOTS_ROUND14)
        negatives = random.Random(1201).sample(negatives, len(negatives))
    if round15:
        kinds, negatives = TRANSITIONS_ROUND15, NEGATIVES_ROUND15
        real = sorted(set(REAL_SHOTS_ROUND15) - set(ROUND15_BOXED))
        synthetic = sorted(SYNTHETIC_SHOTS_ROUND15)
        negatives = random.Random(1501).sample(negatives, len(negatives))
    real_shots = REAL_SHOTS | REAL_SHOTS_NEW | REAL_SHOTS_FRESH | REAL_SHOTS_FINAL | REAL_SHOTS_LAST
    real_shots |= REAL_SHOTS_NEXT | REAL_SHOTS_ROUND12 | REAL_SHOTS_WIPES | REAL_SHOTS_ROUND13
    real_shots |= REAL_SHOTS_ROUND14 | REAL_SHOTS_ROUND15
    in_turn = next_set or round12 or wipes or round13 or round14 or round15
    durations = [0.5, 0.75, 1.0, 1.25, 1.5, 2.0] if next_set else [0.5, 1.0, 1.5, 2.0]
    if round12 or wipes or round13 or round14:
        durations = [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
    if round15:
        durations = list(ROUND15_DURATIONS)
    # round 14: an order that puts both custom kinds and four diagonals out of film in the set
    order_seed = (
        1223 if round14 else 1000 if round13 else 1100 if wipes else 900 if round12 else 800
    )
    order = random.Random(order_seed).sample(kinds, len(kinds))
    shots = []
    previous_source = None
    for k in range(count):
        pool = real if rng.random() < 0.7 else synthetic
        if wipes:  # every transition between a synthetic picture and real footage
            pool = real if (k + seed) % 2 else synthetic
        source = rng.choice([s for s in pool if s != previous_source])
        into = (
            "cut"
            if rng.random() < (0.1 if wipes else 0.15 if round14 or round15 else 0.25)
            else rng.choice(kinds)
        )
        if in_turn and into != "cut":  # the kinds in turn, in a fixed order
            into = order[(seed * count + k) % len(order)]
        if round15:
            into = round15_kind(seed, k, count)
        into_s = 0.0 if into == "cut" else rng.choice(durations)
        if round15 and k == count - 1:
            into, into_s = "cut", 0.0
        negative = rng.choice(negatives) if k % 2 == 1 else None
        if (last or in_turn) and k % 2 == 1:  # every negative in turn
            negative = negatives[(seed * (count // 2) + k // 2) % len(negatives)]
        shot = Shot(source, 0.0, negative, into, into_s)
        if round14 and negative in ROUND14_NEGATIVE_SOURCES:  # the negative on its picture
            shot.source = ROUND14_NEGATIVE_SOURCES[negative][0]
        if round15 and negative in ROUND15_NEGATIVE_SOURCES:  # a speed change on long film
            shot.source = next(
                s for s in ROUND15_NEGATIVE_SOURCES[negative] if s != previous_source
            )
        shots.append(shot)
        previous_source = shot.source
    # Length: enough for its transitions, 2.5 s clean, and 2 s around a negative.
    for k, shot in enumerate(shots):
        before = shots[k - 1].into_s if k else 0.0
        need = before + shot.into_s + (4.5 if shot.negative else 2.5)
        usable = real_shots[shot.source][2] if shot.source in real_shots else 30.0
        if shot.negative in ROUND15_SPEED_CHANGES:  # the seconds read, not shown
            usable -= max(0.0, speed_read_s(shot.negative, 8.5, 0.0) - 8.5)
        shot.length_s = round(min(usable, max(need, rng.uniform(need, need + 1.5))), 2)
        if shot.length_s < need:  # too short a real shot for this slot: use a synthetic one
            neighbours = {shots[j].source for j in (k - 1, k + 1) if 0 <= j < len(shots)}
            used = {s.source for s in shots} | neighbours
            longer = [s for s in real if real_shots[s][2] >= need and s not in used]
            if (round14 or round15) and longer:  # another real one long enough first
                shot.source = rng.choice(longer)
                usable = real_shots[shot.source][2]
                shot.length_s = round(min(usable, rng.uniform(need, need + 1.0)), 2)
                continue
            shot.source = rng.choice([s for s in synthetic if s not in neighbours])
            shot.length_s = round(need + 0.5, 2)
    if round14:
        _round14_wipes(shots, seed)
    if round15:
        _round15_boxes(shots, seed)
        for shot in shots:  # whole frames at 25 fps: every cut and span on a frame's time
            shot.length_s = round(int(shot.length_s * 25 + 1e-6) / 25, 2)
    return shots


def _round15_boxes(shots: list[Shot], seed: int) -> None:
    """The round-15 set's up and down wipes and slides (and zigzag wipes) go into a boxed
    shot, letterboxed or pillarboxed in turn, unless the shot after plays a speed change; each
    is long enough for any slot (8.5 s)."""
    turn = seed
    for k in range(1, len(shots)):
        previous, shot = shots[k - 1], shots[k]
        if previous.into not in ROUND15_INTO_BOX or shot.negative in ROUND15_SPEED_CHANGES:
            continue
        after = shots[k + 1].source if k + 1 < len(shots) else None
        boxes = ROUND15_BOXED[turn % 3 :] + ROUND15_BOXED
        shot.source = next(b for b in boxes if b not in (previous.source, after))
        shot.length_s = min(shot.length_s, REAL_SHOTS_ROUND15[shot.source][2])
        turn += 1


def _round14_wipes(shots: list[Shot], seed: int) -> None:
    """The round-14 set's wipes of the kinds past sets leaked on: a diagonal wipe goes into a
    plain colour (unless the shot after carries a negative a plain colour hides), and every
    other wipe-like transition of 1 s or more out of a moving picture has the picture's own
    fast change at its middle, a jump (the film cutting) or a whip pan in turn."""
    for k in range(1, len(shots)):
        previous, shot = shots[k - 1], shots[k]
        if (
            previous.into in (*DIAGONALS, "softcornerwipe")
            and previous.source not in ROUND14_PLAIN
            and shot.negative in (None, *ROUND14_PLAIN_NEGATIVES)
        ):
            colours = sorted(ROUND14_PLAIN)[(seed + k // 2) % 2 :] + sorted(ROUND14_PLAIN)
            shot.source = next(c for c in colours if c != previous.source)
    wipes = [
        shot
        for shot in shots[:-1]
        if shot.into.startswith(WIPE_LIKE)
        and shot.into_s >= 1.0
        and shot.source not in ROUND14_PLAIN
    ]
    for i, shot in enumerate(wipes[seed % 2 :: 2]):
        shot.tail = ("jump", "whip")[(seed + i) % 2]
