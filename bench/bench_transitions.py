"""Gradual transitions and hard negatives: cliploom's scene pass vs PySceneDetect's CLI.

Renders videos with exact truth (tests/transition_videos.py): real footage from
../shared/testdata/real and lavfi sources joined by hard cuts and xfade transitions of
0.5-2 s (fade, dissolve, wipes, slides, fades through black/white; the held-back set adds
pixelize, wipeup, smoothleft, circleopen), with a hard negative inside every other shot
(a 3-frame flash, a brightness dip, a lasting darkening, a fast pan, a fast zoom, an object
crossing the frame). For cliploom (analyze_video + build_clips, quality checks off) and for
`scenedetect -i X detect-content|detect-hist|detect-adaptive list-scenes` on the same files
(their scenes cut into clips by the same rules: trim, 2-8 s) it prints:
  transitions found      a boundary overlapping the transition's window (+-0.5 s)
  cuts found             a boundary within 0.5 s of a hard cut
  kept clips             clips of at least min_clip_s
  clips w/ transition    kept clips holding a frame of a transition or crossing a cut
  clean kept             seconds of kept clips outside transitions, as a share of the video's
                         seconds outside them (a detector that swallows moving shots into long
                         gradual spans keeps little; trims and the 2 s minimum cost some)
  false boundaries       boundaries inside continuous shots (of which next to a negative)
The truth's transitions include the real footage's own fades that a shot shows (kind
`source_fade`: big_buck_bunny_0_30's fade in from black and its title fading in and out, the
plane's fade to black), and the spans of xfade kinds that leave end frames unchanged
(circleopen, radial, slices, ...) hold only the frames that blend.

The development set (seeds 1-8) was used to set the thresholds; `--held` evaluates only the
held-back set (seeds 101-104, other sources and transition types); seen several times, it is a
second development set now.

    python bench/bench_transitions.py [--held | --new | --fresh | --final | --last | --next
        | --edge | --wipes | --round12 | --round13 | --round14 | --round15 | --round16
        | --round17 | --round18 | --round19 | --round20 | --round21 | --round22
        | --round23 | --round24 | --round25 | --round26 | --round27 | --round28
        | --round29] [--seeds 1 2] [--check-truth]
    python bench/bench_transitions.py --speed 120 [--repeat 3]

`--new` is the new held-back set (seeds 201-204: other xfade kinds, more real sources, a shake
among the negatives), built after the old one had been seen and run once, at the end.
`--fresh` is the fresh held-back set (seeds 301-304: other segments of the real footage, other
lavfi sources and xfade kinds, a fast tilt and a spin among the negatives), built after the new
one had been seen, and run once, at the end.
`--final` is the final held-back set (seeds 601-604: later segments of the real shots, other
lavfi sources and xfade kinds, every hard negative), built after fixes for a slow dissolve
missed, short fades through white/black taken for cuts and a leak on the development set (seeds
501-504 had shown them), and run once, at the end.
`--last` is the last held-back set (seeds 701-704: real footage flipped and cropped, lavfi
sources and xfade kinds no other set uses, mostly reveals, covers, wipes, slides and squeezes
(two custom xfade edges among them), every hard negative in turn plus a whip pan and a wide
object crossing), built after the final set had shown reveals and covers leaking, before the
fixes for them, and run once, at the end.
`--next` is the next held-back set (seeds 801-804: other segments of the real footage,
flipped upside down, cropped elsewhere or recoloured; lavfi sources with settings no other set
uses mixed with a few earlier ones; xfade kinds of every family in turn, in a fixed shuffled
order, with four custom ones (a box opening from the centre, a clock wipe, venetian blinds, a
dissolve eased at both ends); durations in quarter steps from 0.5 to 2 s; every hard negative
in turn, a shake over a whole shot among them), built before the fixes for the last set's
reveal leak and the edge set's two leaks, and run once, at the end.
`--round12` is the round-12 held-back set (seeds 901-904: segments of the real footage no
other set starts at, mirrored both ways, cropped and recoloured in new ways; lavfi sources
with settings no other set uses and two of the development set's; every xfade kind in turn
in an order of its own, with two custom ones (a diamond opening from the centre, a soft-edged
wipe down); durations 0.5-2 s in quarter steps; every hard negative in turn), built after
the fixes for the next set's and the edge set's faults, and run once, at the end.
`--round13` is the round-13 held-back set (seeds 1001-1004: as the round-12 one, with segments
and pictures of the real footage of its own, lavfi sources with settings of its own, every
xfade kind in an order of its own with two custom ones (a cross opening from the centre, a wipe
down in steps), every hard negative in turn with a caption plate sliding in among them), built
with the wipes set before its fixes, and run once, at the end, by the lead.
`--round14` is the round-14 held-back set (seeds 1201-1204: segments and pictures of the real
footage no other set starts at, mirrored, cropped, recoloured (channels swapped, negated,
curves, hue) and ten of them played faster or slower (0.5-1.5x); lavfi sources with settings
of their own and three shared; every xfade kind in an order of its own with two custom ones (a
diagonal wipe from the top left corner with a soft edge, a fade through plum); durations
0.5-2 s in quarter steps; every hard negative once, in turn, the crossing objects and the
caption plate drawn per frame so that they move (the other sets' drawbox ones never do), and
three that once gave false boundaries drawn on their own pictures (a two-colour gradient
turning half a turn, a spiral speeding up tenfold, a tilt over colour bars); diagonal wipes
out of moving pictures into a plain colour, and wipes in which the outgoing picture jumps (the
film cutting) or whips mid-wipe), built after the round-14 fixes, and run once, at the end,
by the lead.
`--round15` is the round-15 held-back set (seeds 1501-1504: segments and pictures of the real
footage of its own, three of them boxed by their crop (letterboxed wide, pillarboxed 4:3);
lavfi sources with settings of their own; 21 xfade kinds, those the earlier sets used least
(circlecrop, hrslice, vdwind never) with fades through black and white and two custom ones (an
ellipse opening, a zigzag-edged wipe), each exactly once, and five hard cuts; durations of
0.52-2 s in 0.2 s steps, shots of whole frames (every cut and span on a frame's time); each up
or down wipe or slide going into a boxed shot; 16 hard negatives once each, seven new (a double
flash, the light coming up, a pull back from 2.5x, a pan right to left, a logo popping in, a
2.5x speed-up for a second and a slow motion to the shot's end inside a shot)), built during
round 15, never run on it while building, and run once, at the end, by the lead.
`--round16` is the round-16 held-back set (seeds 1601-1604, tests/transition_videos.py
ROUND16_PLAN: a fixed plan, the shot lengths drawn by seed), made where the earlier sets were
thin: moving shots through the transitions (27 of 32 shots pan, tilt, drift or zoom over their
whole length, so 18 of the 24 transitions have a moving shot on both sides and the rest on
one); six transitions between similar-looking shots (the same scene framed apart, two
gradients of near colours; the truth marks them `similar`); durations at the range's ends (ten
of 0.52 s, ten of 2 s, two of 1 s, two of 1.48 s, shots of whole frames); 25 of 32 shots real
footage, 16 transitions joining real footage on both sides; eight boxed shots in four pairs
joined by a transition (letterbox into letterbox, pillarbox into pillarbox, letterbox into
pillarbox, a windowbox into a letterbox); 24 kinds each once (fades, dissolves, wipes, slides,
fades through black and white, and three custom ones: fades through black and white holding the
colour for a fifth of the span, a dissolve pixel by pixel) and a hard cut in each video; 16 hard
negatives once each, every one inside a moving shot (a flash in a pan, the light dimming to 45 %
and staying, an object crossing, a dark object passing close over 85 % of the frame, a 3x zoom
in half a second, ...). The truth adds each shot's move and box (`moves`, `boxes`: kind and the
whole time it shows). Every frame strictly inside a span differs from both shots' own frames
and every other frame is one of them (checked on lossless renders, each transition against the
outgoing or incoming shot held). Built in round 16, the detector never run on it; run once, at
the end, by the lead.
`--round17` is the round-17 held-back set (seeds 1701-1704, tests/transition_videos.py
ROUND17_PLAN), made after round 16 showed gradual spans swallowing whole moving shots: the same
families in a plan of its own. 30 of 32 shots move over their whole length at other speeds and
on other paths than round 16's (slow creeps and a slow diagonal drift, eased pans and tilts, a
fast pan, handheld holds and pans with jitter, slow zooms, a push in; truth `moves`), so 24 of
the 26 transitions have a moving shot on both sides; five between similar-looking shots (the
same scene framed apart, a pristine and a compressed view; `similar`); fades, dissolves, wipes,
slides, fades through black and white, pixelize, circle and radial wipes, covers and reveals,
0.52-2 s, in a shuffle of their own, and two hard cuts; four boxed pairs (pillar into pillar,
letterbox into letterbox, letterbox into pillar, window into letterbox; `boxes`); 14 hard
negatives once each inside moving shots (flash, double flash, dip, darkening, dimming,
brightening, a flickering light, objects crossing, a close one, a 3x fast zoom, whip pans
sideways and up, a logo popping in). Its spans hold exactly the frames that blend (those at
t = O where a hard wipe, slide, cover or reveal already shows a row of the incoming shot too).
Built in round 17 and checked with `--check-truth` only; the lead ran the detector on it once, at
the end of round 17; since then it is a development set.
`--round18` is the round-18 held-back set (seeds 1801-1804, tests/transition_videos.py
ROUND18_PLAN), made as round 17's with nothing of it: its own footage and lavfi sources, 29 of
32 shots moving on paths no earlier set has (pans speeding up from rest or slowing to rest, a
pan that stops and holds, a tilt starting late, a slow diagonal drift, an arc, a handheld walk,
a handheld roll, a zoom in while panning, a pull back; truth `moves`); 25 transitions of every
family (fades, dissolves, a distance blend, fades through black, white and grey, a dip holding
white, wipes, slides, a squeeze, covers, a reveal, pixelize, a circle, a slice wipe), 0.56-2 s
in 4-frame steps, in a shuffle of their own, seven between similar-looking shots, and three
hard cuts; 15 hard negatives once each inside moving shots, three new (a rack-focus-like blur
out and back, a dark shape covering part of the frame, an exposure ramp clipping the
highlights). Built in round 18 and checked with `--check-truth` only; the detector never run on
it; run once, at the end, by the lead: `bench/bench_transitions.py --round18`.
`--round19` is the round-19 held-back set (seeds 1901-1904, tests/transition_videos.py
ROUND19_PLAN), made as round 18's with nothing of it or of any earlier set: its own footage and
lavfi sources, 29 of 32 shots moving on nine paths no earlier set has (a whip pan that stops
dead, a pan that reverses, a pan in steps, a tilt down that then holds, a bobbing walk, a drift
with a tripod bump, a slow rotation, a push in drifting sideways, a zoom out tilting up; truth
`moves`); 25 transitions of every family (fades, dissolves, a blurring dissolve, fades through
black, white and grey, a dip holding black, wipes, a slice, slides, a squeeze, a cover,
reveals, pixelize, a circle), 0.52-1.96 s in 4-frame steps, in a shuffle of their own, seven
between similar-looking shots, and three hard cuts; 15 hard negatives once each inside moving
shots, three new (a lens flare sweeping across, a soft shadow band passing, the white balance
snapping warmer). Built in round 19 and checked with `--check-truth` only; the lead ran the
detector on it once, at the end of round 19; since then it is a development set.
`--round20` is the round-20 held-back set (seeds 2001-2004, tests/transition_videos.py
ROUND20_PLAN), made as round 19's with nothing of it or of any earlier set: its own footage
segments and pictures (bikes' street shots and fire2's phone footage, at half speed, among
them) and lavfi sources, 29 of 32 shots moving on seven paths no earlier set has (an orbit
rolling the picture, a crane up, a jittery drone drift, a pan on a speed ramp, a zigzag drift,
a dolly zoom in and out, a spiral in; truth `moves`); 25 transitions of every family (fades,
dissolves, fades through black, white and grey, a dip holding white, wipes, a slice, a radial
wipe, a circle closing, a barn door, slides, a squeeze, a cover, a reveal, pixelize),
0.6-1.92 s in whole frames, in a shuffle of their own, seven between similar-looking shots of
close colours moving on both sides (among them fades and dissolves of 0.6-0.64 s and
1.88-1.92 s), and three hard cuts; 15 hard negatives once each inside moving shots, five new
(a rolling-shutter wobble, a strobe cycling colour, someone filling the frame and leaving, the
exposure pumping, a hand over the lens for a split second). Built in round 20 and checked with
`--check-truth` only; the lead ran the detector on it once, at the end of round 20; since
then it is a development set.
`--round21` is the round-21 held-back set (seeds 2101-2104, tests/transition_videos.py
ROUND21_PLAN), made as round 20's with nothing of it or of any earlier set: its own footage
segments and pictures (graded warm, sepia, brighter or paler; bikes' street footage at 0.4x,
chaplin at 1.4x and bigbuckbunny at 0.7x among them) and lavfi sources, 29 of 32 shots moving
on eight paths no earlier set has (a slow push in with a handheld shake, a pan easing in and
out, a diagonal drift with a roll, a walk forward bobbing, a dolly zoom, a figure eight, a crane
down while panning, a boat's sway; truth `moves`); 25 transitions of every family (fades,
dissolves, a blurring dissolve, fades through black, white, grey and a teal colour, wipes, a
slice, a wind, a circle opening, a box opening off centre, a barn door closing, a slide, a
squeeze, covers, a reveal, pixelize; two custom kinds of its own, the teal dip and the box),
0.56-2 s in whole frames, none of round 19's or 20's, in a shuffle of their own, seven between
similar-looking shots of close colours moving on both sides (among them fades and dissolves of
0.56-0.72 s and 1.84-2 s), and three hard cuts; 15 hard negatives once each inside moving
shots, four new (a focus pull leaving the picture soft, a shutter flicker at 10 Hz, a bird
crossing close to the lens, a light switched off for good). Built in round 21 and checked with
`--check-truth` only; the lead ran the detector on it once, at the end of round 21; since
then it is a development set.
`--round22` is the round-22 set (seeds 2201-2204, tests/transition_videos.py
ROUND22_PLAN), made as round 21's with nothing of it or of any earlier set: its own footage
segments and pictures (a green cast, a harder contrast, a blue monochrome, a deeper gamma, a
warm street; bikes' street footage and fire2's phone footage at 0.45x, chaplin at 1.2x and
bigbuckbunny at 0.6x among them) and lavfi sources, 29 of 32 shots moving on eight paths no
earlier set has (an arc over, a handheld walk sideways, a rack tilt, a slow roll, a push in and
pull back, a vertigo orbit, a swinging pan, a drone sinking; truth `moves`); 25 transitions of
every family (fades, dissolves, a blurring dissolve, a zoom-in crossfade, fades through black,
white and grey, wipes, a wind, a luma-key wipe along a gradient, a circle and a barn door
closing, slides, a squeeze, a push with motion blur, a cover, reveals, pixelize; three custom
kinds of its own, the zoom crossfade, the luma-key wipe and the blurred push), 0.52-1.96 s in
whole frames, none of round 20's or 21's, in a shuffle of their own, seven between
similar-looking shots of close colours moving on both sides (among them fades and dissolves of
0.52-0.68 s and 1.8-1.96 s), and three hard cuts; 15 hard negatives once each inside moving
shots, five new (headlights sweeping across, fog rolling in, a lower third fading in, rain
streaks, fireworks). Built in round 22 and checked with `--check-truth` only; the lead ran the
detector on it once, at the end of round 22; since then it is a development set.
`--round23` is the round-23 set (seeds 2301-2304, tests/transition_videos.py
ROUND23_PLAN), made as round 22's with nothing of it or of any earlier set: its own footage
segments and pictures (a cool cast, a paler one, a lifted gamma, a harsher contrast, a green
monochrome, a warm highlight, an orange-teal street; bikes' street footage and fire2's phone
footage at 0.35x, chaplin at 1.3x and bigbuckbunny at 0.65x among them) and lavfi sources, 29
of 32 shots moving on eight paths no earlier set has (a pan that overshoots and settles, a rise
swaying sideways, a pan at a Dutch angle, a pull back with a handheld shake, a corkscrew, a
crane up rolling, an L-shaped track, a snap zoom; truth `moves`); 25 transitions of every
family (fades, dissolves, a blurring and an eased one, a dissolve through a blur, fades
through black, white and grey, wipes, a wind, blinds along the diagonal, a soft-edged iris
opening, a circle and a barn door opening, slides, a cover, a reveal; three custom kinds of its
own, the blurred dissolve, the diagonal blinds and the soft iris), whole frames of 0.6-1.92 s,
none of round 21's or 22's (every whole-frame duration of 0.52-2 s is some earlier set's) and
no kind at a duration an earlier set gave it, in a shuffle of their own, seven between
similar-looking shots of close colours moving on both sides (a 0.6 s blurring dissolve, a
0.76 s fade and dissolve, a 1.08 s smooth wipe, long dissolves and a slow fade), and three hard
cuts; 15 hard negatives once each inside moving shots, five new (a door opening onto bright
light, a train passing over the lower half, a neon sign flickering, confetti, a screen switched
on). Built in round 23 and checked with `--check-truth` only; the lead ran the detector on it
once, at the end of round 23; since then it is a development set.
`--round24` is the round-24 held-back set (seeds 2401-2404, tests/transition_videos.py
ROUND24_PLAN), the first rendered at 30 fps (every other set is 25 fps; truth `fps`): its
durations are whole frames at 30 fps that no 25-fps set can have (0.7, 0.9, 1.1, 1.3, 1.7 and
1.9 s) and its shots whole tenths of a second; its own footage segments and pictures (a warm
cast, a muted one, a darker gamma, a magenta cast, a sepia monochrome, cool shadows, a lifted
one, a green-gold street; bikes' street footage and fire2's phone footage at 0.3x, chaplin at
1.35x and bigbuckbunny at 0.55x among them) and lavfi sources; 29 of 32 shots moving on eight
earlier rounds' paths in a mix of their own; 25 transitions of 22 kinds in a shuffle of their
own (fades, dissolves, a blurring, an eased and a blurred one, a soft iris, fades through
black, white and grey, wipes, a wind, a circle closing, a barn door opening, a squeeze,
slides, a cover, a reveal), seven between similar-looking shots of close colours moving on
both sides (a 0.7 s fade, hblur and dissolve, a 0.9 s smooth wipe, a 1.7 s eased dissolve, a
1.9 s dissolve and slow fade), and three hard cuts; 15 hard negatives of earlier sets once
each inside moving shots. Built in round 24 and checked with `--check-truth` only; the lead ran
the detector on it once, at the end of round 24; since then it is a development set.
`--round25` is the round-25 held-back set (seeds 2501-2504, tests/transition_videos.py
ROUND25_PLAN), rendered at 24 fps, film's rate, which no earlier set has (25 fps, round 24's
30 fps): its durations are whole frames at 24 fps that neither can have (0.625, 0.875, 1.125,
1.375, 1.625 and 1.875 s) and its shots whole quarters of a second; its footage the stretches
earlier sets read least (cockatoo after its whip, big_buck_bunny_0_30's burrow and its shot
after the last cut, bikes' 3.04-5.48 s and 7.48-9.68 s shots), at starts and ends of its own,
graded its own ways (a cool street, a faded green, a warm dusk) and played at 0.25x, 0.85x and
0.9x, and lavfi sources of its own; 29 of 32 shots moving on eight earlier rounds' paths none
of round 24's; 25 transitions of 22 kinds in a shuffle of their own, five custom kinds no
earlier set has (a pinwheel, a checkerboard wipe, a ripple dissolve, a film-burn dissolve
through a warm light leak, a luma dissolve) and earlier kinds at durations no earlier set has
(fades, dissolves, a blurring one, fades through black, white and grey, a circle and a
rectangle crop, a distance dissolve, a zoom in, slices, a wind, a squeeze, a slide, a cover,
a reveal), seven between similar-looking shots of close colours moving on both sides (a
0.625 s fade and dissolve, a 0.875 s luma dissolve, a 1.125 s ripple and film burn, a 1.375 s
hblur, a 1.875 s dissolve), and three hard cuts; 15 hard negatives once each inside moving
shots, three new (a light leak, an iris closing and opening again, a puff of smoke). Built in
round 25 and checked with `--check-truth` only; the lead ran the detector on it once, at the
end of round 25; since then it is a development set.
`--round26` is the round-26 held-back set (seeds 2601-2604, tests/transition_videos.py
ROUND26_PLAN), rendered at 20 fps, which no earlier set has (25 fps, round 24's 30 fps, round
25's 24 fps): its durations are whole frames at 20 fps that none of those can have (0.55,
0.85, 1.05, 1.35, 1.65 and 1.95 s) and its shots whole frames; its footage bikes' first shot
(0-1.2 s, which no earlier segment read), its next two shots and cockatoo after its blur, at
starts and ends of its own, graded its own ways (a cold night street, a warm faded perch) and
played at 0.2x and 0.58x, and lavfi sources of its own; 29 of 32 shots moving on eight
earlier rounds' paths, none of round 24's or 25's; 25 transitions of 22 earlier kinds in a
shuffle of their own, every one at a duration no earlier set has (fades, dissolves, a blurring
one, a luma dissolve, a ripple, a distance dissolve, fades through black, white and grey, a
circle and a rectangle crop, a circle and a barn door closing, a smooth wipe, a diagonal, a
radial wipe, slices, a wind, a slide, a cover, a reveal), seven between similar-looking shots
of close colours moving on both sides (a 0.85 s fade, a 0.55 s hblur and dissolve, a 1.05 s
luma dissolve, a 1.35 s ripple, a 1.65 s distance dissolve, a 1.95 s dissolve), and three hard
cuts; 15 earlier sets' hard negatives once each inside moving shots. Built in round 25 and
checked with `--check-truth` only; the lead ran the detector on it once, at the end of round 26;
since then it is a development set.
`--round27` is the round-27 held-back set (seeds 2701-2704, tests/transition_videos.py
ROUND27_PLAN), rendered at 50 fps, which no earlier set has (25 fps, round 24's 30, round 25's
24, round 26's 20): its durations are whole frames at 50 fps that none of those can have
(0.62, 0.86, 1.14, 1.38, 1.66 and 1.94 s: 31-97 frames, each step of a fade half a 25-fps
one's) and its shots whole frames; its footage cockatoo from just after its whip (its own slow
refocus, which no earlier segment read) and three of bikes' shots, at starts and ends of its
own, graded its own ways (a cool morning perch, a sodium-lit street) and played at 0.42x and
0.28x, and lavfi sources of its own (a zone plate, a spiral gradient, Perlin noise, a
Sierpinski triangle); 29 of 32 shots moving on eight earlier rounds' paths, none of rounds
24-26's; 25 transitions of 22 kinds in a shuffle of their own, four custom kinds no earlier
set has (a clock wipe with a soft edge, a dip to amber, a push down eased in and out, a
dissolve through a haze) and earlier kinds at durations no earlier set has, seven between
similar-looking shots of close colours moving on both sides, all soft (a 0.62 s hblur and
dissolve, a 0.86 s blurring dissolve, a 1.14 s hazy dissolve, a 1.38 s dissolve, a 1.66 s
eased dissolve, a 1.94 s fade), and three hard cuts; 15 hard negatives once each inside moving
shots, four new (a knock on the camera, a slow defocus and refocus, a cloud's shadow passing,
a fluorescent tube failing). Built in round 26 and checked with `--check-truth` only; the
lead ran the detector on it once, at the end of round 27 (24/25, 2 kept clips holding a
transition, 2 false); since then it is a development set.
`--round28` is the round-28 held-back set (seeds 2801-2804, tests/transition_videos.py
ROUND28_PLAN), rendered at 48 fps, high-frame-rate film's, which no earlier set has (25 fps,
round 24's 30, round 25's 24, round 26's 20, round 27's 50): its durations are whole frames at
48 fps that none of those can have (odd sixteenths of a second, exact to the truth's 4 places:
0.6875, 0.8125, 1.0625, 1.3125, 1.5625 and 1.8125 s, 33-87 frames) and its shots whole
sixteenths (3 frames); its footage the stretches earlier segments read least (bikes' first
shot and its third, big_buck_bunny_0_30's shot after its last cut, before the titles), at
starts and ends of its own, graded its own ways (a pink dawn street, an evening glow) and
played at 0.18x and 0.19x, and lavfi sources of its own (a circular gradient, a
rule-126 automaton, Perlin noise, a game of life); 29 of 32 shots moving on eight earlier
rounds' paths, none of rounds 24-27's; 25 transitions of 22 kinds in a shuffle of their own,
four custom kinds no earlier set has (a spin, a dissolve through a white flash, a slide with
parallax, a mosaic dissolve) and earlier kinds at durations no earlier set has, seven between
similar-looking shots of close colours moving on both sides, all soft (a 0.6875 s dissolve and
hblur, a 0.8125 s eased dissolve, a 1.0625 s mosaic dissolve, a 1.3125 s dissolve, a 1.5625 s
luma dissolve, a 1.8125 s fade), and three hard cuts; 15 hard negatives once each inside
moving shots, four new (a burst of photographers' flashes, heat shimmer, lightning, a car's
headlights glaring into the lens). Built in round 27 and checked with `--check-truth` only;
the lead ran the detector on it once, at the end of round 28 (24/25, 3 kept clips holding a
transition, 1 false); since then it is a development set.
`--round29` is the round-29 held-back set (seeds 2901-2904, tests/transition_videos.py
ROUND29_PLAN), rendered at 60 fps, phones' and games' rate, which no earlier set has (25 fps,
round 24's 30, round 25's 24, round 26's 20, round 27's 50, round 28's 48): its durations are
whole frames at 60 fps that none of those can have (43, 53, 67, 79, 97 and 113 frames:
0.7167-1.8833 s; their truth times round within 0.00005 s of their frames, each video's cuts
and length exact) and its shots whole twentieths (3 frames); its footage bikes' fifth shot and
cockatoo from its whip, at starts and ends of its own, graded its own ways (a hard noon
street, a sage aviary) and played at 0.16x and 0.17x, and lavfi sources of its own (a spiral
gradient, a Sierpinski carpet, a Mandelbrot zoom, Perlin noise); 29 of 32 shots moving on
eight earlier rounds' paths, none of rounds 24-28's; 25 transitions of 22 kinds in a shuffle
of their own, four custom kinds no earlier set has (a dissolve staggered by colour channel, a
swirl dissolve, a random tile wipe, an ink wipe) and earlier kinds at durations no earlier set
has, seven between similar-looking shots of close colours moving on both sides, all soft (a
43-frame dissolve and hblur, a 53-frame eased dissolve, a 67-frame channel dissolve, a
79-frame dissolve, a 97-frame swirl dissolve, a 113-frame fade), and three hard cuts; 15 hard
negatives once each inside moving shots, four new (a windscreen wiper sweeping across and
back, a stage light's colour wheel turning once, a burst of interference, the picture rolling
once), among earlier ones a strobe, a whip pan that does not cut, a rolling-shutter wobble, a
lens flare and a crash zoom. Held back: built in round 28 and checked with `--check-truth`
only (the detector was never run on it); the lead runs the detector on it once, at the end of
round 29.
`--check-truth` runs no detector: it renders the chosen set losslessly, as made and with every
transition replaced by its outgoing and by its incoming shot held, and checks that every frame
strictly inside a truth span differs from both shots, the span's end frames are theirs and
every other frame is one of them (exit status 1 if not); the only check a held-back set may have
before its one run.
`--wipes` is a development set of wipes and slides (seeds 1101-1108, issue 11: hard and soft
wipes and slides in every direction, diagonals, clock, radial, barn-door and box wipes, covers
and reveals, 0.5-2 s in quarter steps, between real footage and synthetic pictures: bars, test
charts, solid colours, gradients; objects crossing, pans, tilts and a caption plate sliding in
as negatives), made to reproduce the round-12 set's missed wipe out of colour bars and its
late-starting diagonal wipe.
`--edge` is a development set of moving-edge transitions (seeds 27-34: reveals, covers,
wipes, slides, smooth wipes, diagonals, squeezes, a few fades; shaky shots among the
negatives), made to reproduce the final set's leaks.
`--cliploom-only` skips PySceneDetect (quick runs while developing).
`--losses` adds a table of where cliploom's clean seconds not kept go (`losses`): inside a
detected span around a true transition or cut (its overreach), inside a false boundary's span,
trimmed at the ends of a kept scene, in a scene too short for a clip (the true clean run itself
too short for one, or long enough but cut short by spans or a false boundary), else other.
`--box letterbox|pillar` renders the chosen set with its picture boxed in black bars (about a
quarter of the frame; one encode), to compare with the set unboxed (`scenes.inside_bars`).
`--model WEIGHTS` runs cliploom with TransNetV2 (`scenes.model`) at those weights instead of the
model-free rules (the authors' converted weights; none ship with cliploom).
`--speed N` times the analysis pass (analyze_video with the default per-frame analyzers) with
the full-rate refinement on and off, paired, on bench/bench_pipeline.py's N-second 720p input
and on the development set, against PySceneDetect's CLI on the 720p input.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DETECTORS = ("cliploom", "detect-content", "detect-hist", "detect-adaptive")
# --box: the 320x180 picture in black bars (ffmpeg pad arguments), about a quarter of the frame.
BOXES = {"letterbox": "320:240:0:30", "pillar": "432:180:56:0"}
SET_NAMES = {
    "dev": "development",
    "held": "held-back",
    "new": "new held-back",
    "fresh": "fresh held-back",
    "final": "final held-back",
    "last": "last held-back",
    "next": "next held-back",
    "round12": "round-12 held-back",
    "edge": "moving-edge development",
    "wipes": "wipes development",
    "round13": "round-13 held-back",
    "round14": "round-14 held-back",
    "round15": "round-15 held-back",
    "round16": "round-16 held-back",
    "round17": "round-17 held-back",
    "round18": "round-18 held-back",
    "round19": "round-19 held-back",
    "round20": "round-20 held-back",
    "round21": "round-21 held-back",
    "round22": "round-22 held-back",
    "round23": "round-23 held-back",
    "round24": "round-24 held-back",
    "round25": "round-25 held-back",
    "round26": "round-26 held-back",
    "round27": "round-27 held-back",
    "round28": "round-28 held-back",
    "round29": "round-29 held-back",
}


def scenedetect_scenes(video: Path, command: str, work: Path) -> list[tuple[float, float]]:
    exe = shutil.which("scenedetect") or str(Path(sys.executable).parent / "scenedetect")
    out = work / f"{video.stem}-{command}"
    subprocess.run(
        [exe, "-q", "-i", str(video), "-o", str(out), command, "list-scenes", "-s", "-f", "s.csv"],
        check=True,
        capture_output=True,
    )
    with open(out / "s.csv") as f:
        rows = list(csv.DictReader(f))
    return [(float(r["Start Time (seconds)"]), float(r["End Time (seconds)"])) for r in rows]


def clean_seconds(until_s: float, windows: list[tuple[float, float, str]]) -> float:
    """Seconds from the video's start to `until_s` outside every transition window."""
    inside, reach = 0.0, 0.0
    for lo, hi, _ in sorted(windows):
        lo, hi = max(lo, reach, 0.0), min(hi, until_s)
        if hi > lo:
            inside += hi - lo
        reach = max(reach, hi)
    return until_s - inside


def cliploom_analysis(video: Path, config):
    """cliploom's analysis of `video` under `config` (a PipelineConfig), its boundaries' spans
    and the kept clips' spans."""
    from transforms.probe import probe_file
    from transforms.scenes import analyze_video, build_clips

    info = probe_file(str(video), str(video), config.probe)
    analysis = analyze_video(str(video), info, config.scenes)
    kept = [
        (s.clip.start_s, s.clip.end_s)
        for s in build_clips(info, analysis, config.scenes, config.clips)
        if s.clip.kept
    ]
    return analysis, [(b.start_s, b.end_s) for b in analysis.boundaries], kept


# A boundary found a transition or a cut when it comes within MATCH_S of it; a false one is
# next to a negative when it comes within NEGATIVE_S of it (`evaluate`, probe_spans.py's labels).
MATCH_S = 0.5
NEGATIVE_S = 1.0


def reaches(a: float, b: float, lo: float, hi: float, pad: float) -> bool:
    """The span [a, b] comes within `pad` of [lo, hi]."""
    return a <= hi + pad and b >= lo - pad


def evaluate(truth: dict, boundaries: list[tuple[float, float]], clips: list[tuple[float, float]]):
    """Counts for one video: boundaries are (start_s, end_s) spans, clips (start_s, end_s)."""
    fps = truth["fps"]
    windows = [(t["start_s"], t["end_s"], t["kind"]) for t in truth["transitions"]]
    cuts = truth["cuts_s"]
    every = windows + [(c, c, "cut") for c in cuts]
    out = Counter()
    for lo, hi, kind in windows:
        hit = any(reaches(a, b, lo, hi, MATCH_S) for a, b in boundaries)
        out["transitions"] += 1
        out["transitions_found"] += hit
        out[f"kind.{kind}"] += 1
        out[f"kind_found.{kind}"] += hit
    for c in cuts:
        out["cuts"] += 1
        out["cuts_found"] += any(a - MATCH_S <= c <= b + MATCH_S for a, b in boundaries)
    for a, b in boundaries:
        if not any(reaches(a, b, lo, hi, MATCH_S) for lo, hi, _ in every):
            out["false"] += 1
            out["false_near_negative"] += any(
                reaches(a, b, n["start_s"], n["end_s"], NEGATIVE_S) for n in truth["negatives"]
            )
    out["clean_s"] += clean_seconds(truth["duration_s"], windows)
    for start, end in clips:
        out["kept"] += 1
        out["clean_kept_s"] += clean_seconds(end, windows) - clean_seconds(start, windows)
        frames = [k / fps for k in range(int(start * fps), int(end * fps) + 2)]
        inside = [t for t in frames if start <= t < end]
        # 60 us in: times are kept to 4 places, so at 30 fps a span's end frame (k / 30) is up
        # to 50 us off its time (at 25 fps a frame is on it or 100 us off, the same as before)
        leaks = any(lo + 6e-5 < t < hi - 6e-5 for t in inside for lo, hi, _ in windows) or any(
            start < c < end for c in cuts
        )
        out["leaky"] += leaks
    return out


LOSSES = (
    "span overreach (gradual)",
    "span overreach (cut)",
    "false boundary span",
    "trim at kept scene ends",
    "short scene: true run too short",
    "short scene: cut short by spans",
    "short scene: false boundary",
    "other",
)


def losses(truth: dict, boundaries, scenes, clips, config, step_s: float = 0.005) -> Counter:
    """Seconds outside every transition window and in no kept clip, by cause (`LOSSES`):
    boundaries are (kind, start_s, end_s), scenes (start_s, end_s) and clips (start_s, end_s)."""
    windows = [(t["start_s"], t["end_s"]) for t in truth["transitions"]]
    cuts = truth["cuts_s"]
    every = windows + [(c, c) for c in cuts]
    edges = sorted({0.0, truth["duration_s"], *cuts, *(x for w in windows for x in w)})
    min_run = config.clips.min_clip_s + 2 * config.scenes.trim_s
    true_spans = [
        (kind, a, b) for kind, a, b in boundaries
        if any(a <= hi + 0.5 and b >= lo - 0.5 for lo, hi in every)
    ]  # fmt: skip
    false_spans = [(a, b) for kind, a, b in boundaries if (kind, a, b) not in true_spans]
    out = Counter()
    for k in range(int(truth["duration_s"] / step_s)):
        t = (k + 0.5) * step_s
        if any(lo <= t <= hi for lo, hi in windows) or any(a <= t < b for a, b in clips):
            continue
        span = next((kind for kind, a, b in true_spans if a <= t < b), None)
        scene = next(((a, b) for a, b in scenes if a <= t < b), None)
        if span is not None:
            cause = f"span overreach ({'cut' if span == 'cut' else 'gradual'})"
        elif any(a <= t < b for a, b in false_spans):
            cause = "false boundary span"
        elif scene is None:
            cause = "other"
        elif any(a < b and scene[0] <= a < scene[1] for a, b in clips):
            cause = "trim at kept scene ends"
        else:
            lo = max(e for e in edges if e <= t)
            hi = min((e for e in edges if e > t), default=truth["duration_s"])
            if hi - lo < min_run:
                cause = "short scene: true run too short"
            elif any(abs(a - scene[0]) < 1e-6 or abs(b - scene[1]) < 1e-6 for a, b in false_spans):
                cause = "short scene: false boundary"
            else:
                cause = "short scene: cut short by spans"
        out[cause] += step_s
    return out


def speed(seconds: int, repeat: int) -> None:
    """Paired timings of the analysis pass, refinement on and off, and PySceneDetect's CLI."""
    import dataclasses
    import os
    import statistics
    import time

    import configs
    from bench.bench_pipeline import render as render_720p
    from pipelines.config import PipelineConfig
    from tests.transition_videos import random_shots, render
    from transforms.probe import probe_file
    from transforms.scenes import analyze_video

    config = PipelineConfig.from_dict(configs.load())
    work = Path(tempfile.mkdtemp(prefix="cliploom-transitions-speed-"))
    long720 = work / "long720p.mp4"
    render_720p(long720, seconds)
    dev = []
    for seed in (1, 2, 3, 4):
        render(work / f"dev_{seed}.mp4", random_shots(seed, 8, False))
        dev.append(work / f"dev_{seed}.mp4")
    on = config.scenes
    off = dataclasses.replace(on, refine=False)
    factories = (config.frame_quality, config.motion, config.watermark)

    def scene_pass(videos, scenes):
        for video in videos:
            info = probe_file(str(video), str(video), config.probe)
            analyzers = [f.make_analyzer(info) for f in factories]
            analyze_video(str(video), info, scenes, analyzers)

    def scenedetect():
        exe = shutil.which("scenedetect") or str(Path(sys.executable).parent / "scenedetect")
        subprocess.run(
            [exe, "-q", "-i", str(long720), "-o", str(work / "sd"), "detect-content"],
            check=True,
            capture_output=True,
        )

    runs = [
        ("720p refine off", lambda: scene_pass([long720], off)),
        ("720p refine on", lambda: scene_pass([long720], on)),
        ("dev set refine off", lambda: scene_pass(dev, off)),
        ("dev set refine on", lambda: scene_pass(dev, on)),
        ("scenedetect 720p", scenedetect),
    ]
    load = os.getloadavg()[0]
    walls: dict[str, list[float]] = {name: [] for name, _ in runs}
    for _ in range(repeat):
        for name, fn in runs:
            t = time.perf_counter()
            fn()
            walls[name].append(time.perf_counter() - t)
    med = {name: statistics.median(v) for name, v in walls.items()}
    print(f"analysis pass, median wall s of {repeat} paired runs (load {load:.1f} -> "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")  # fmt: skip
    for name, v in med.items():
        print(f"  {name:20s} {v:7.2f}")
    ratio = [a / b for a, b in zip(walls["720p refine on"], walls["720p refine off"], strict=True)]
    dev_ratio = [
        a / b for a, b in zip(walls["dev set refine on"], walls["dev set refine off"], strict=True)
    ]
    print(f"  720p: refine on / off {statistics.median(ratio):.3f} (paired median)")
    print(f"  720p: on / scenedetect {med['720p refine on'] / med['scenedetect 720p']:.3f}, "
          f"off / scenedetect {med['720p refine off'] / med['scenedetect 720p']:.3f}")  # fmt: skip
    print(f"  dev set ({len(dev)} videos with transitions): on / off "
          f"{statistics.median(dev_ratio):.3f}")  # fmt: skip
    shutil.rmtree(work, ignore_errors=True)


def check_truth_only(name: str, seeds: list[int], args) -> int:
    """--check-truth: each video of the set rendered losslessly three times (as made, each
    transition held as its outgoing and as its incoming shot) and its truth checked frame by
    frame (tests/transition_videos.py check_truth); no detector runs. 1 if any check fails."""
    from tests.transition_videos import check_truth, random_shots

    if args.box:
        raise SystemExit("--check-truth checks the set as made, not boxed")
    flags = ("held", "new", "fresh", "final", "last", "edge", "next", "round12", "wipes")
    flags += ("round13", "round14", "round15", "round16", "round17", "round18", "round19")
    flags += ("round20", "round21", "round22", "round23", "round24", "round25", "round26")
    flags += ("round27", "round28", "round29")
    work = args.keep or Path(tempfile.mkdtemp(prefix="cliploom-transitions-truth-"))
    work.mkdir(parents=True, exist_ok=True)
    failed = 0
    print(f"{SET_NAMES[name]} set: truth only, no detector run (lossless renders in {work})")
    for seed in seeds:
        shots = random_shots(seed, args.shots, *(getattr(args, flag) for flag in flags))
        truth, problems = check_truth(work, shots, f"{name}_{seed}")
        kinds = Counter(t["kind"] for t in truth.transitions)
        print(
            f"  seed {seed}: {round(truth.duration_s * truth.fps)} frames, "
            f"{len(truth.transitions)} transitions ({sum(kinds.values()) - kinds['source_fade']}"
            f" xfade), {len(truth.cuts_s)} cuts, {len(truth.negatives)} negatives, "
            f"{len(truth.moves)} moving shots: {'ok' if not problems else 'FAILED'}"
        )
        for problem in problems:
            print(f"    {problem}")
        failed += bool(problems)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


# The sets besides the development one (seeds 1-8): flag -> (seeds, what it is). The first
# named in this order is run.
SETS = {
    "round29": (
        range(2901, 2905),
        "the round-29 held-back set (60 fps, durations no earlier set has, four new kinds,"
        " soft transitions between similar moving shots, negatives inside moving shots)",
    ),
    "round28": (
        range(2801, 2805),
        "the round-28 held-back set (48 fps, durations no earlier set has, four new kinds,"
        " soft transitions between similar moving shots, negatives inside moving shots)",
    ),
    "round27": (
        range(2701, 2705),
        "the round-27 held-back set (50 fps, durations no earlier set has, four new kinds,"
        " soft transitions between similar moving shots, negatives inside moving shots)",
    ),
    "round26": (
        range(2601, 2605),
        "the round-26 set (20 fps, durations no earlier set has, moving shots, similar shots"
        " of close colours, negatives inside moving shots); held back in round 25, a"
        " development set since round 26",
    ),
    "round25": (
        range(2501, 2505),
        "the round-25 held-back set (24 fps, durations no earlier set has, five new kinds,"
        " moving shots, similar shots of close colours, negatives inside moving shots)",
    ),
    "round24": (
        range(2401, 2405),
        "the round-24 held-back set (30 fps, durations no 25-fps set has, moving shots,"
        " similar shots of close colours, negatives inside moving shots)",
    ),
    "round23": (
        range(2301, 2305),
        "the round-23 set (moving shots on new paths, similar shots of close colours, new"
        " negatives); held back in round 23, a development set since",
    ),
    "round22": (
        range(2201, 2205),
        "the round-22 set (moving shots on new paths, similar shots of close colours, new"
        " negatives); held back in round 22, a development set since",
    ),
    "round21": (
        range(2101, 2105),
        "the round-21 set (moving shots on new paths, similar shots of close colours, new"
        " negatives); held back in round 21, a development set since",
    ),
    "round20": (
        range(2001, 2005),
        "the round-20 set (moving shots on new paths, similar shots of close colours, new"
        " negatives); held back in round 20, a development set since",
    ),
    "round19": (
        range(1901, 1905),
        "the round-19 set (moving shots on new paths, similar shots, new negatives); held back"
        " in round 19, a development set since",
    ),
    "round18": (
        range(1801, 1805),
        "the round-18 set (moving shots on new paths, similar shots, new negatives); held back"
        " in round 18, a development set since",
    ),
    "round17": (
        range(1701, 1705),
        "the round-17 set (moving shots at other speeds, similar shots, boxes); held back in"
        " round 17, a development set since",
    ),
    "round16": (
        range(1601, 1605),
        "the round-16 held-back set (moving shots, similar shots, boxes)",
    ),
    "round15": (range(1501, 1505), "the round-15 held-back set"),
    "round14": (range(1201, 1205), "the round-14 held-back set"),
    "round13": (range(1001, 1005), "the round-13 held-back set"),
    "wipes": (range(1101, 1109), "the wipes development set"),
    "round12": (range(901, 905), "the round-12 held-back set"),
    "next": (range(801, 805), "the next held-back set only"),
    "last": (range(701, 705), "the last held-back set only"),
    "edge": (range(27, 35), "the moving-edge development set"),
    "final": (range(601, 605), "the final held-back set only"),
    "fresh": (range(301, 305), "the fresh held-back set only"),
    "new": (range(201, 205), "the new held-back set only"),
    "held": (range(101, 105), "the held-back set only"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag, (seeds, what) in SETS.items():
        parser.add_argument(
            f"--{flag}", action="store_true", help=f"{what} (seeds {seeds[0]}-{seeds[-1]})"
        )
    parser.add_argument("--cliploom-only", action="store_true", help="skip PySceneDetect")
    parser.add_argument(
        "--losses", action="store_true", help="where cliploom's clean seconds not kept go"
    )
    parser.add_argument(
        "--box",
        choices=sorted(BOXES),
        help="render the set boxed in black bars (16:9 letterboxed into 4:3, or pillar-boxed)",
    )
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="config override"
    )
    parser.add_argument("--seeds", type=int, nargs="*")
    parser.add_argument(
        "--check-truth",
        action="store_true",
        help="run no detector: render the set losslessly and check its truth frame by frame",
    )
    parser.add_argument("--shots", type=int, default=8)
    parser.add_argument("--keep", type=Path, help="render into this directory and keep it")
    parser.add_argument("--speed", type=int, metavar="SECONDS", help="time the analysis pass")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--model", metavar="WEIGHTS", help="TransNetV2 (scenes.model) at these weights"
    )
    args = parser.parse_args()
    if args.speed:
        speed(args.speed, args.repeat)
        return
    # the first set named, in SETS' order; the development set when none is
    name = next((flag for flag in SETS if getattr(args, flag)), "dev")
    seeds = args.seeds or (list(SETS[name][0]) if name in SETS else [1, 2, 3, 4, 5, 6, 7, 8])
    if args.check_truth:
        sys.exit(check_truth_only(name, seeds, args))

    import configs
    from pipelines.config import PipelineConfig
    from tests.transition_videos import random_shots, render
    from transforms.scenes import clip_spans, scene_spans

    sets = [f"scenes.model.weights={args.model}"] if args.model else []
    sets += args.set
    config = PipelineConfig.from_dict(configs.load(sets=sets))
    work = args.keep or Path(tempfile.mkdtemp(prefix="cliploom-transitions-"))
    work.mkdir(parents=True, exist_ok=True)
    totals = {name: Counter() for name in DETECTORS}
    lost = Counter()
    for seed in seeds:
        video = work / f"{name}_{seed}{'_' + args.box if args.box else ''}.mp4"
        if video.exists() and video.with_suffix(".json").exists():
            truth = json.loads(video.with_suffix(".json").read_text())
        else:
            from dataclasses import asdict

            shots = random_shots(
                seed,
                args.shots,
                args.held,
                args.new,
                args.fresh,
                args.final,
                args.last,
                args.edge,
                args.next,
                args.round12,
                args.wipes,
                args.round13,
                args.round14,
                args.round15,
                args.round16,
                args.round17,
                args.round18,
                args.round19,
                args.round20,
                args.round21,
                args.round22,
                args.round23,
                args.round24,
                args.round25,
                args.round26,
                args.round27,
                args.round28,
                args.round29,
            )
            truth = asdict(render(video, shots, pad=BOXES.get(args.box)))
        analysis, spans, kept = cliploom_analysis(video, config)
        totals["cliploom"] += evaluate(truth, spans, kept)
        if args.losses:
            marks = [(b.kind, b.start_s, b.end_s) for b in analysis.boundaries]
            lost += losses(truth, marks, scene_spans(analysis), kept, config)
        for command in [] if args.cliploom_only else DETECTORS[1:]:
            scenes = scenedetect_scenes(video, command, work)
            cuts = [(a, a) for a, _ in scenes[1:]]
            clips = [
                span
                for a, b in scenes
                for span in clip_spans(a, b, config.scenes.trim_s, config.clips)
            ]
            totals[command] += evaluate(truth, cuts, clips)
    t = totals["cliploom"]
    print(
        f"{SET_NAMES[name]} set: "
        f"seeds {seeds}, "
        f"{t['transitions']} transitions, {t['cuts']} hard cuts, 320x180 {truth['fps']} fps H.264"
        + (f", boxed ({args.box} {BOXES[args.box]})" if args.box else "")
    )
    header = f"{'':16s} {'transitions':>12s} {'cuts':>7s} {'kept':>5s} {'w/ trans.':>10s} "
    print(header + f"{'false (near neg.)':>18s} {'clean kept':>11s}")
    for name, c in totals.items():
        if args.cliploom_only and name != "cliploom":
            continue
        print(
            f"{name:16s} {c['transitions_found']:>5d} / {c['transitions']:<4d} "
            f"{c['cuts_found']:>2d} / {c['cuts']:<2d} {c['kept']:>5d} {c['leaky']:>10d} "
            f"{c['false']:>10d} ({c['false_near_negative']})"
            f" {100 * c['clean_kept_s'] / max(c['clean_s'], 1e-9):>9.0f} %"
        )
    kinds = sorted(k.split(".", 1)[1] for k in t if k.startswith("kind."))
    print(
        "cliploom recall by kind: "
        + ", ".join(f"{k} {t[f'kind_found.{k}']}/{t[f'kind.{k}']}" for k in kinds)
    )
    if args.losses:
        clean, kept_s = t["clean_s"], t["clean_kept_s"]
        print(f"clean seconds not kept, of {clean:.1f} clean (kept {kept_s:.1f}):")
        for cause in LOSSES:
            share = 100 * lost[cause] / max(t["clean_s"], 1e-9)
            print(f"  {cause:34s} {lost[cause]:7.1f} s {share:5.1f} %")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
