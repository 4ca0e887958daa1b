"""Shot boundaries from the decode pass: hard cuts and gradual transitions, flashes excluded.

Pure logic, no Beam. `BoundaryFeatures` takes each analysed frame (BGR at analysis size) and
keeps a few hundred bytes of it: the content score against the previous analysed frame (the
mean absolute HSV difference of PySceneDetect's ContentDetector, same scale, so its thresholds
carry over), a hue-saturation and a value histogram, and a 32x18 thumbnail. `find_boundaries`
then works on those arrays once per video (or segment):

- Hard cuts: content score above `threshold` (or PySceneDetect's adaptive ratio), at least
  `min_scene_s` apart, and not a flash: when a frame within `flash_s` after the jump looks like
  the frame before it again, the jump was a flash (or a short occlusion), not a cut. Nor is a
  burst of jumps of at most `shake_max_s` after which the picture from before it is back (a
  violent camera shake); a gradual change's lag end beyond such a shake moves to its near side.
  Nor is the last jump of a burst whose thumbnail step is under the burst's own (a fast
  pattern slowing down). Nor a lone jump whose frame after is the one before shifted by up to
  half the thumbnail (a whip pan seen through sparse reference frames, `_whip`), nor a jump
  among large steps with the same picture `gradual_window_s` before and after it (an object
  crossing the frame). Nor a jump inside a fast pan or tilt: a run of steps each the frame
  before shifted one way, whose pictures either side join with no seam (`_pan`; a slide moves
  its shots so too, but joins two pictures at a seam); nor is a lag peak over such a pan,
  the shot alike either side of it, a gradual change. A jump that leaves a band along one
  side of the picture still, a band already the new shot's (a wipe's edge parts the picture;
  a hard cut changes all of it), is judged with the frames around it, as a jump inside a
  gradual change is (`_still_band`).
- Gradual transitions (fades, dissolves, wipes, slides, fades through black or white): twin
  comparison over a lag. The histogram distance between frames `gradual_window_s` before and
  after each frame rises over a transition of up to twice that length, where the per-frame
  difference is too small to see. A raised region is a transition only when the frames on its
  two sides are different shots: different colour histograms *and* uncorrelated structure (a
  brightness change keeps the structure, a pan or zoom inside one scene keeps the colours, a
  flash, a dip or an object crossing the frame gives back the frames it started from).
- A slow dissolve between shots of one film (colours a little apart, structure correlating a
  little, below the rules above) counts when the frames between the lag's ends are blends of
  them whose share of the new shot rises steadily (`_slow_blend`).
- A hard cut into or out of a flat picture (black, white) between two shots that are not flat
  is the fast end of a short fade through it: the frames around that still move away from the
  flat picture are its fade-out and fade-in, cut out with it (`_through_flat_span`). A lag
  peak's span that holds flat frames, no cut there (a fade too slow for the content score),
  is narrowed the same way to the fade's own ends when they are different shots and the fade
  ramps on both sides (`_flat_fade_within`).
- A hard-edged wipe between shots of one palette (colour bars into colour bars, two grey
  pictures), below every histogram rule, counts when the frames between the ends of a lag are
  partitions of the two: most pixels that tell them apart lie near one end or the other, the
  new end's share rising one way from about 0 to about 1, and one end at least a settled shot
  (a turning two-colour gradient sweeps by itself, as much before and after) (`_wipe`); a
  soft wipe between two moving grey textures (no pixel stays near either end) when their
  fineness (sharpness) differs and, on a 4x3 grid of block means, the frames between are
  blends of the ends rising steadily (`_texture_sweep`).
- The transition's span is then found on the thumbnails: from the clean frame before it, frames
  are still the old shot while they stay within noise (plus the shot's own drift rate) of it
  and (from a steady anchor) nearer to it than to the new shot's clean frame (a moving shot's
  drift otherwise passes a cover or reveal for the old shot); likewise backwards from the new
  shot. Scans that meet where nothing changes are run again with the shots' motion measured
  over the lag window only. Everything between the last clean old frame and the
  first clean new one is the transition and is cut out, padded by one analysed frame each side.
- Local refinement (`refine_boundaries`, called by the decode pass): the pass may see only
  reference frames, so the window around each gradual boundary (and each cut whose
  neighbouring steps are large too, a fast wipe or slide seen at its steepest step) is decoded
  again at full frame rate (`window_decoder`: reference frames up to the window, then every
  frame, 32x18 thumbnails). A transition's frames each step from the one before by more than
  the shots do, as a whole or within one thumbnail row or column (a reveal's or cover's last
  thin strip at the border); the span grows over that run, by a margin of frames, and an end
  that no such run marks (a fade into a shot that moves as fast) moves out by a share of the
  span; a found end follows the ramp of steps down to the shot's own (a corner's area grows
  as the square of the time: its first steps are small). An end also follows a steady
  mean-colour trend outwards (a dissolve from a still into a moving shot, a fade in from
  black into fast motion, whose steps only rise smoothly), and found ends move out by
  `refine_faint_s` for frames too faint to see at 32x18. An end whose transition's first
  (last) run of fast steps lies `refine_shrink_min_s` or more inside the span, the frames
  between as calm as the shot outside, moves in to it (a coarse end at a lag window's end,
  its scans finding no clean frame in a moving shot). A hard-edged
  transition's ends then move in to the frames that hold pixels of both shots' clean frames,
  where an edge makes them (`_edge_span`: a moving shot beside a wipe passes for it in the
  scans); into a still new shot an end lasts while a frame holds pixels unlike it (the old
  shot changing by itself mid-wipe). A refined gradual span whose full-rate frames chain step
  by step into one zoom of 1.5x or more that warps its first frame into its last (on the
  thumbnails, then at 128x72, decoded again only then: `_camera_zoom`; a fast zoom's steps
  within `refine_zoom_fast_step`, and over a long span whose ends drifted apart, each piece of
  `refine_zoom_piece_s` chained unbroken into its last frame) is the camera zooming, no
  boundary. Nor is a refined span within min_scene_s of the video's first or last frame whose
  ends are no different shots (`_no_shot_beyond`: the shot beyond it is never seen clean).
  A suspicious cut grows over its run of large full-rate steps (a slide into a still shot,
  seen at its steepest step), unless no calmer shot lies beside the run (a violent shake: the
  shot's own motion).
- A lag peak is the largest lag within the window where the lag between stays above
  `gradual_peak_valley` of it: a dip parts two events (a wipe 1.2 s after a fade-in's lag).
- A hard cut between analysed frames more than a frame apart (non-reference frames skipped,
  no keyframe at the cut) is pinned to the full-rate frame whose step dwarfs the others.
- Weaker lag peaks (a slow blend of shots of close colours) count except within two lag
  windows of a stronger one that is a transition or within one of a hard cut; a peak whose
  change is one analysed step among small ones is a hard cut the content score missed in
  noisy shots, and a change between two analysed frames with no cut
  there (a fast circle between sparse reference frames) a gradual seed for the refinement.
  Scans that meet far from the peak (the shot's motion, measured past the anchor, took in the
  next transition) are run again with that motion measured over at most the lag window; once
  all are found, each span is found again with the shots' motion measured only up to the
  neighbouring transitions (where min_scene_s of the shot lies between). A peak whose lag
  ends both lie inside other spans (shots of 3-5 s beside transitions of up to 2 s) measured
  those transitions' frames: moved to their clean frames, ends that are one shot drop it.
- A hard cut between shots of fine flickering detail (every frame above the content
  threshold, a burst that gives no cut), or between two moments of one scene (a jump cut:
  colours alike, the content score low), is one analysed step that dwarfs the others within
  flash_s around it (a burst of the shot's own motion farther off is its own event).

Boundaries are spans in seconds: the scene before ends at `start_s`, the next begins at `end_s`.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import statistics
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from transforms.borders import BorderConfig, bars_of, picture_box
from transforms.frames import AnalysisFrame, as_frame

TINY_SIZE = (32, 18)  # thumbnail (width, height) for span finding and flash checks
WHOLE_SIZE = (128, 72)  # the recent frames kept to read thumbnails again in a new box
ZOOM_SIZE = (128, 72)  # frames a refined span is decoded at again to tell a camera's zoom
# The farthest a picture may move across a cut `_same_shot_across` takes for one shot, as a
# share of the frame's width and height (the thumbnails' search, and the decoded frames' fit
# where only their tint changed: a fast slide moves its picture 0.23 in three frames, its
# other picture's colours leaving; dev set, pillar box, seed 8, 33.8 s).
SAME_SHOT_MAX_SHIFT = 0.2
# ... and the decoded frames' fit where they are lit otherwise: a handheld jolt under a pan
# moved one 0.32 in two frames, 0.37 darker (round 24, seed 2402, 22.77 s); the development
# sets' cuts lit apart that fit from 0.9 moved 0.41 or 0.01.
SAME_SHOT_MAX_LIT_SHIFT = 0.35
ZOOM_ITERATIONS = 5  # Gauss-Newton steps fitting one frame's zoom on the next
PLATEAU_SHARE = 0.9  # a lag's plateau: the values within this share of its top
HS_BINS = (16, 4)
V_BINS = 8
GREY_SHARE = 0.95  # of pixels in the lowest saturation bin: a grey picture


class BoundaryKind(StrEnum):
    """How a scene starts or ends."""

    CUT = "cut"
    GRADUAL = "gradual"
    VIDEO_START = "video_start"
    VIDEO_END = "video_end"
    SEGMENT = "segment"  # a border between time segments of a long video (not a shot change)


@dataclass(frozen=True)
class Boundary:
    """A shot change: the scene before ends at `start_s`, the next starts at `end_s`."""

    kind: str
    start_s: float
    end_s: float
    index: int  # first analysed frame of the next scene
    # Its ends are read from the analysed frames themselves (a blur swap's clean frames beside
    # its sharpness dip): refinement leaves them where they are.
    exact: bool = False


@dataclass(frozen=True)
class BoundaryConfig:
    """Detector settings; `SceneConfig` (the scenes section of the config) extends them."""

    detector: str = "content"
    threshold: float = 27.0
    adaptive_threshold: float = 3.0
    adaptive_min_content: float = 15.0
    min_scene_s: float = 0.5
    # A jump in content that comes back within flash_s (thumbnail content score below
    # flash_max_score against the frame before the jump) is a flash, not a cut.
    flash_s: float = 0.25
    flash_max_score: float = 12.0
    # ... or, in a moving shot, below flash_motion_ratio x the shot's own content change over
    # as long a gap before the jump and below flash_jump_ratio x the jump (`_flash_back`).
    # 0 turns it off.
    flash_motion_ratio: float = 1.25
    flash_jump_ratio: float = 0.5
    # A cut found at a jump moves to a jump at least cut_burst_ratio times as high within
    # min_scene_s after it: the first was fast motion just before the cut.
    cut_burst_ratio: float = 1.5
    # A burst of jumps (a cut at its first and its last) of at most shake_max_s after which a
    # frame within flash_s looks like the frame before it again (thumbnail content score below
    # flash_max_score) is a violent camera shake or a long occlusion: neither is a cut.
    shake_max_s: float = 1.5
    # The last jump of a burst of jumps (a cut where the burst ends) is the shot's own motion
    # going on when its thumbnail step is under burst_cut_min_ratio times the median step over
    # the min_scene_s before it. 0 turns it off.
    burst_cut_min_ratio: float = 1.0
    # A jump that leaves a band along one side of the picture still (each row or column of at
    # least cut_band_min of it changing by under cut_band_ratio of the whole step), a band
    # already the new shot's, is judged with the frames around it, as a gradual change's jump
    # is (`_still_band`). 0 turns it off.
    cut_band_min: float = 0.1
    cut_band_ratio: float = 0.4
    cut_band_moved: float = 0.5  # ... unless the step is the picture moving, shifted within this
    cut_whip_moved: float = 0.1  # a lone jump, the picture shifted within this: a whip pan
    cut_crossing: bool = True  # a jump among large steps, the same picture around: no cut
    # A jump that keeps the thumbnail's structure (correlation from cut_refresh_min_ncc),
    # stepping by at most cut_refresh_max_ratio x the shot's own median step around it, only
    # refreshed fine detail (an encoder's keyframe): no cut (`_refresh`). 0 turns it off.
    cut_refresh_max_ratio: float = 1.5
    cut_refresh_min_ncc: float = 0.9
    # A fast pan or tilt (`_pan`): a run of steps of at least pan_min_s, each the frame before
    # shifted along one axis within pan_moved of the step, all one way, whose pictures either
    # side join with no seam (their joining columns or rows differ under pan_seam times
    # neighbouring ones). pan_seam 0 turns it off.
    pan_moved: float = 0.65
    pan_seam: float = 3.5
    pan_seam_floor: float = 1.0  # ... the neighbouring ones' difference taken as at least this
    pan_min_s: float = 0.4
    # ... or a run moving over more than pan_whip_widths of the picture, every part of it
    # moving (a whip: its two ends do not join). 0 turns it off.
    pan_whip_widths: float = 1.5
    # ... the pictures joined shifted across the move by the picture's own drift (a film that
    # tilts as the camera pans), measured beside the run (`_cross_drift`).
    pan_cross_drift: bool = True
    pan_drift_moved: float = 0.4  # ... a drift that matches within this of unshifted
    gradual: bool = True
    gradual_window_s: float = 1.25
    gradual_min_hist: float = 0.6
    gradual_max_ncc: float = 0.6
    # structure is correlated inside the black bars both thumbnails share (`_shared_bars`)
    ncc_inside_bars: bool = True
    gradual_strong_hist: float = 0.8  # from this histogram distance on, structure may
    gradual_strong_max_ncc: float = 0.8  # correlate up to this (two shots of one layout)
    gradual_weak_hist: float = 0.5  # below gradual_min_hist, from this distance on, only
    gradual_weak_max_ncc: float = 0.1  # structure that does not correlate at all
    gradual_weakest_hist: float = 0.45  # from this on, structure that correlates neither way
    # a fast pan between a lag's ends is the camera's only where the colours either side of it
    # are at most this share of the ends' apart (`find_boundaries`)
    gradual_pan_max_share: float = 0.6
    # A slow dissolve between shots of close colours whose structure correlates a little (one
    # film's palette and layout), from gradual_weak_hist on: the frames between the lag's
    # ends are blends of them (`_slow_blend`).
    gradual_blend_max_ncc: float = 0.3
    gradual_blend_max_residual: float = 0.3
    gradual_blend_min_trend: float = 0.95
    gradual_blend_min_s: float = 0.8
    # A short dissolve between moving shots (`_moving_dissolves`): over windows of each of
    # gradual_mix_windows_s either side of a frame, the frame is a blend of the window's ends
    # (share gradual_mix_min_share-_max_share, residual gradual_mix_min_residual-_max_residual
    # of the change), its grey contrast dips below gradual_mix_max_dip x the ends' (the blend's
    # own within gradual_mix_contrast_tol), its mean stays within gradual_mix_max_mean_step of
    # the ends' line, the ends apart (RMS gradual_mix_min_apart-_max_apart x the lower
    # contrast, colours >= gradual_mix_min_hist, structure <= gradual_mix_max_ncc), at two window
    # sizes within gradual_mix_agree_s. Ends farther apart than that (one of them of low
    # contrast, or their levels apart) count where the higher contrast is at least
    # gradual_mix_far_min_contrast and their structure correlates at most
    # gradual_mix_far_max_ncc, with no residual floor. Empty gradual_mix_windows_s turns it off.
    gradual_mix_windows_s: tuple[float, ...] = (0.3, 0.45, 0.6, 0.9)
    gradual_mix_min_share: float = 0.25
    gradual_mix_max_share: float = 0.7
    gradual_mix_min_residual: float = 0.15
    gradual_mix_max_residual: float = 0.4
    gradual_mix_max_dip: float = 0.9
    gradual_mix_contrast_tol: float = 0.12
    gradual_mix_max_mean_step: float = 12.0
    gradual_mix_min_apart: float = 1.0
    gradual_mix_max_apart: float = 1.9
    gradual_mix_min_hist: float = 0.12
    gradual_mix_max_ncc: float = 0.65
    gradual_mix_agree_s: float = 0.12
    # ... or at one window size, where a lag peak from gradual_min_hist lies within the window
    # and the window's ends' colours are as far apart (they changed as a transition's do):
    # the peak is the second witness. A long fade between violently moving shots of one
    # palette is a mix only over windows that reach into it, and the twin comparison's ends,
    # each a shot's own motion apart, are no different shots. False: two window sizes only.
    gradual_mix_peak_agrees: bool = True
    # No mix whose old shot's last frame lies within gradual_window_s of the video's first
    # frame, unless that is flat (a fade in): the lag's peaks are dropped there alike.
    gradual_mix_not_at_start: bool = True
    gradual_mix_far_min_contrast: float = 12.0
    gradual_mix_far_max_ncc: float = 0.45
    # ... up to gradual_mix_fade_max_ncc where the ends' mean levels are at least
    # gradual_mix_fade_min_step apart: a fade between similar shots brightens or darkens the
    # picture as it mixes, a shot's own motion between a flat and a textured view hardly does.
    # A step of 0 turns it off.
    gradual_mix_fade_min_step: float = 30.0
    gradual_mix_fade_max_ncc: float = 0.5
    # A dissolve's span narrowed to where its frames' share of the change between the span's
    # ends leaves gradual_mix_trim_share of 0 and of 1 (`_mix_span`); 0 keeps the windows' ends.
    gradual_mix_trim_share: float = 0.05
    # Between two pictures (both ends' contrast at least gradual_mix_far_min_contrast) a frame
    # whose contrast dips to gradual_mix_coarse_max_dip x the ends' line or below may meet the
    # residual ceiling on the thumbnails at half size (`_half_size`): the shots' own motion
    # moves their fine detail, not the mix. 0 turns it off.
    gradual_mix_coarse_max_dip: float = 0.8
    # ... or to gradual_mix_max_dip where the ends' structure correlates at most
    # gradual_mix_coarse_max_ncc (two unrelated pictures; the darkening of one shot that a
    # shallower dip admitted correlates 0.61-0.66). None turns it off.
    gradual_mix_coarse_max_ncc: float | None = 0.45
    # A mix span with an end at its lowest contrast (within gradual_mix_contrast_tol) whose
    # contrast climbs beyond that end, within gradual_mix_veil_reach_s, to gradual_mix_veil_rise
    # x both ends' or more is a veil's thickest moment (smoke, a light leak), no new shot
    # (`_veil_peak`). None turns it off.
    gradual_mix_veil_rise: float | None = 1.4
    gradual_mix_veil_reach_s: float = 0.6
    # A dissolve that mixes pixel by pixel (`_grain_dissolves`): the picture's fine detail
    # (Laplacian standard deviation) rises to at least gradual_grain_min_rise above the shots'
    # level either side and falls back under gradual_grain_fall x its peak within
    # gradual_grain_min_s-gradual_grain_max_s, the thumbnails between no more contrasted than
    # gradual_grain_max_contrast x the ends' and their share of the change between the ends
    # rising with time (correlation at least gradual_grain_min_trend). 0
    # gradual_grain_min_rise turns it off.
    gradual_grain_min_rise: float = 40.0
    gradual_grain_fall: float = 0.25
    gradual_grain_min_s: float = 0.3
    gradual_grain_max_s: float = 3.0
    gradual_grain_side_s: float = 0.4
    gradual_grain_max_contrast: float = 3.0
    gradual_grain_min_trend: float = 0.6
    # A lag peak is the largest within gradual_window_s, where the lag between stays above
    # gradual_peak_valley of it (0: anywhere within; a dip below it parts two events).
    gradual_peak_valley: float = 0.6
    gradual_noise: float = 2.0
    gradual_drift: float = 1.5
    gradual_moved_share: float = 0.04
    gradual_moved_rest: float = 0.1
    gradual_moved_cover: float = 0.75
    gradual_moved_min_px: float = 0.5
    gradual_pad_s: float = 0.2
    gradual_extend_s: float = 0.4
    # Local refinement at full frame rate (refine_boundaries): the window refine_context_s
    # around each gradual boundary (and each cut whose neighbouring steps are large too) is
    # decoded again, every frame, and the span grows to every frame whose change from the frame
    # before exceeds refine_rise x the clean shot's own (median) + refine_floor,
    # by at most refine_max_extend_s a side, plus refine_margin_frames. An end with no such run
    # next to it or inside the span moves out by refine_uncertain_frac of the span (at most
    # refine_uncertain_s). An end also follows a steady mean-colour trend (over refine_trend_s
    # inside the span; the contrast's too with refine_trend_contrast) outwards; found ends then
    # move out by refine_faint_s, uncertain ones by at least that.
    refine: bool = True
    refine_context_s: float = 1.5
    refine_rise: float = 2.0
    refine_floor: float = 1.5
    refine_max_extend_s: float = 1.0
    refine_margin_frames: int = 2
    refine_uncertain_frac: float = 0.25
    refine_uncertain_s: float = 0.5
    refine_trend_s: float = 0.2
    refine_trend_contrast: bool = True
    refine_flat_gap_s: float = 0.3  # flat still frames inside a run of fast ones (0: off)
    # A boundary the refinement drops bounds no neighbour's window: the rest are refined again
    # without it (`refine_boundaries`).
    refine_again_without_dropped: bool = True
    # A cut that a refined gradual span reaches (grown up to it, within half a frame) is a
    # jump at the transition's edge, one boundary with it, as `find_boundaries` joins them.
    refine_join_edge_cuts: bool = True
    # A gradual end also moves out to where the analysed frames settle (`_settled_end`): their
    # share of the change from refine_trend_s inside the end to the window's far frame stays
    # within refine_settle_eps for refine_settle_s, the change at least
    # refine_settle_min_change and the frames up to there blends (refine_settle_max_residual).
    # refine_settle_eps 0 turns it off.
    refine_settle_eps: float = 0.05
    refine_settle_s: float = 0.3
    refine_settle_min_change: float = 20.0
    refine_settle_max_residual: float = 0.34
    refine_settle_min_cos: float = 0.2
    refine_faint_s: float = 0.2
    refine_still_floor: float = 0.3  # refine_floor next to a still shot (its own step ~0)
    # An end found on the steps also follows their ramp down to the shot's own (`_ramp_end`):
    # steps above its own median by refine_ramp_noise x their spread. 0 turns it off.
    refine_ramp_noise: float = 2.0
    # An end whose transition's first (last) fast step (one of a run) lies in the span's
    # nearer half, refine_shrink_min_s or more inside it, the frames between as calm as the
    # shot outside, moves in to that step (`_refined_span`); None: spans only grow.
    refine_shrink_min_s: float | None = 1.0
    # ... and not across frames whose grey contrast dips under refine_calm_max_dip x both the
    # moved-in end's and the least the shot outside shows (`_calm_until`); None: no such check.
    refine_calm_max_dip: float | None = 0.8
    # The run also takes in frames whose largest change within one row or column of the
    # thumbnail exceeds the same limit over the shot's own such changes (a reveal's or
    # cover's last thin strip at the frame's border).
    refine_band: bool = True
    # A fade in the footage itself (to or from black or white) ends a boundary's span where its
    # ramp does (`_fade_ramp`): from a span's end (a cut's too) outwards, the frames whose
    # mean moves away from the flat picture by at least fade_min_rate a second (grey levels,
    # 0-255), a group of refine_trend_s at a time, their contrast (std) in proportion to their
    # mean's distance from the flat level as at the span's end within fade_contrast_tol (a
    # fade scales the picture; a dip shifts it, a pan drifts), for at most fade_max_s. 0: off.
    fade_min_rate: float = 15.0
    fade_contrast_tol: float = 0.03
    fade_max_s: float = 4.0
    fade_min_ncc: float = 0.95  # ... its structure kept (correlation with the span end's frame)
    # A hard cut between analysed frames more than a frame apart (non-reference frames skipped
    # between them, no keyframe at the cut) is pinned to the full-rate frame whose step dwarfs
    # the others there (each at most refine_cut_max_other of it).
    refine_cut_pin: bool = True
    refine_cut_max_other: float = 0.3
    refine_cut_pin_max_s: float = 2.0
    # A hard-edged transition's span is also narrowed to the frames that hold pixels of both
    # shots (`_edge_span`): pixels within gradual_wipe_tol of a clean frame, more than
    # refine_edge_min_share of those that tell the two apart (and twice the share that the
    # shots' own frames hold of the other's).
    refine_edge: bool = True
    refine_edge_min_share: float = 0.01
    # A camera's zoom, not a transition: the frames of a refined gradual span, chained step by
    # step at ZOOM_SIZE (each step an affine warp of at most refine_zoom_max_step, in scale or
    # in shift as a share of the width), zoom by refine_zoom_min_scale or more (in or out) and
    # the last frame is the first so warped (correlation >= refine_zoom_min_ncc). None: off.
    refine_zoom_min_scale: float | None = 1.5
    refine_zoom_min_ncc: float = 0.8
    refine_zoom_max_step: float = 0.1
    refine_zoom_fast_step: float = 0.2  # ... at ZOOM_SIZE, where that breaks (a fast zoom)
    refine_zoom_piece_s: float = 0.5  # ... or each piece of this so warped (0: off)
    # ... or, where up to refine_zoom_max_broken of the steps find no such warp (the cockatoo
    # walking in as the camera zooms), the others chain so and the last frame correlates with
    # the first warped from refine_zoom_broken_min_ncc. 0 turns it off.
    refine_zoom_max_broken: float = 0.15
    refine_zoom_broken_min_ncc: float = 0.5
    refine_zoom_broken_max_residual: float = 0.6  # ... its warps explaining its steps
    # ... and only where the analysed frames around the span are no different shots: between
    # two, a broken chain needs refine_zoom_min_ncc (round-24 set, seed 2404).
    refine_zoom_broken_one_shot: bool = True
    # A span of at most refine_same_shot_max_s whose frames either side are one picture
    # shifted (ECC correlation >= refine_same_shot_min_ecc) and lit otherwise is no boundary;
    # None turns it off.
    refine_same_shot_max_s: float = 0.5
    refine_same_shot_min_ecc: float | None = 0.93
    refine_same_shot_min_light: float = 0.12  # ... their mean brightness apart (|log ratio|)
    refine_same_shot_min_tiny_ncc: float = 0.75  # ... decoded only where thumbnails line up
    refine_same_shot_min_cast: float | None = 0.1  # ... or their colour cast (None: not)
    # ... or lit alike, one picture moved by at most this share of the frame (None: not)
    refine_same_shot_still_shift: float | None = 0.03
    # A cut whose step is at most refine_stepped_max_ratio times the largest step within
    # refine_stepped_window_s on each side (full frame rate) is one stepped shot's own step
    # (None turns it off); decoded only where the analysed thumbnails' steps give at most
    # refine_stepped_max_tiny_ratio.
    refine_stepped_max_ratio: float | None = 2.5
    refine_stepped_max_tiny_ratio: float = 4.0
    refine_stepped_window_s: float = 0.4
    # A gradual span whose frames either side, registered at ZOOM_SIZE through a chain of
    # affine warps across the span (every step correlating from refine_one_shot_min_step),
    # correlate in fine detail from refine_one_shot_min_ncc over refine_one_shot_min_overlap of
    # the frame or more is one shot lit otherwise (None turns it off).
    refine_one_shot_min_ncc: float | None = 0.9
    refine_one_shot_min_overlap: float = 0.6
    refine_one_shot_min_step: float = 0.8
    # A lag peak whose change is one analysed step of at least this (thumbnail RMS, 0-255)
    # among steps under a fifth of it is a hard cut the content score missed.
    gradual_cut_min_step: float = 20.0
    # A hard-edged wipe between shots of one palette (colour bars into colour bars, two grey
    # pictures), below every histogram rule: the thumbnails at the ends of a lag differ (RMS at
    # least gradual_wipe_min_rms, structure correlating at most gradual_max_ncc) and the frames
    # between are partitions of the two (`_wipe`): of the pixels that tell them apart, at least
    # gradual_wipe_min_explained lie within gradual_wipe_tol of one end, the share of the new
    # end rising with time (correlation >= gradual_wipe_min_trend) over gradual_wipe_min_s of
    # mid-way frames.
    gradual_wipe: bool = True
    # A lag peak inside a fade through a flat picture found at its cut (`_through_flat_span`,
    # whose ends are the fade's own) is that fade: its span, from lag ends in moving shots, is
    # dropped for the fade's. With gradual_cut_span_over_window, so is a peak's span with an
    # end at its own lag end (no clean frame found there) whose peak lies in any span found
    # at a cut.
    gradual_flat_fade_exact: bool = True
    # ... and where no cut found the fade (it dims too slowly for the content score), a lag
    # peak's span that holds flat frames is narrowed to the fade's own (`_through_flat_span`
    # from those frames) when its ends are different shots and it holds the peak.
    gradual_flat_fade_peaks: bool = True
    # ... and what that span held past the fade stays a span where its scan found no clean
    # frame up to its lag end (the next transition may start there).
    gradual_flat_fade_keeps_rest: bool = True
    # A lag plateau running on past a peak's span (lags whose windows start at its new clean
    # frame still from gradual_min_hist, no peak of their own) is judged at its middle, as a
    # partition of its lag's ends (`_wipe`, hard or by the median).
    gradual_plateau_rest: bool = True
    gradual_cut_span_over_window: bool = True
    # A lag peak's span whose clean frames either side (more than one analysed frame apart)
    # are one picture (content under flash_max_score, structure correlating from
    # gradual_max_ncc) is no change: the picture went and came back (a tilt away and back).
    gradual_span_came_back: bool = True
    # ... and a span of one analysed step (a seed for the refinement) whose two frames differ by
    # a content score under gradual_seed_min_content: nothing changed where its scans met.
    # 0 turns it off.
    gradual_seed_min_content: float = 2.0
    # Scans from a weak peak that meet at a cut outside the peak's own lag window (reached
    # through the widened lag) run again as scans meeting away from a cut do (`find_boundaries`).
    gradual_weak_past_cut: bool = True
    # A gradual span within min_scene_s of the video's first or last frame, the picture there
    # not flat, is no change of shot (`_no_shot_beyond`).
    gradual_edge_shots: bool = True
    gradual_wipe_min_rms: float = 25.0
    gradual_wipe_tol: float = 10.0
    gradual_wipe_min_explained: float = 0.75
    gradual_wipe_min_apart: float = 0.5
    gradual_wipe_min_trend: float = 0.9
    gradual_wipe_min_s: float = 0.2
    # ... and one end at least a settled shot: over half the wipe's length before (after) it,
    # at most gradual_wipe_max_unsettled of those pixels move half-way to the other end's.
    gradual_wipe_max_unsettled: float = 0.4
    # ... or, for any lag peak whose ends are different shots (the frames flash_s farther out
    # may be alike: moving shots of close colours), a soft wipe with the new end's share the
    # median over the explained pixels (`_wipe(median=True)`: a noise-like shot biases the mean).
    gradual_wipe_soft: bool = True
    # ... or a soft wipe between two moving textures of one palette (`_texture_sweep`): the
    # ends' sharpness at most gradual_texture_max_ratio of each other, the frames between
    # blends of them on a 4x3 grid of block means. 0 turns it off.
    gradual_texture_max_ratio: float = 0.75
    # A slide or push between shots of one palette (`_slide`): the frames between a lag's ends
    # fit, at a seam moving steadily across, the old shot moved out and the new moved in,
    # within gradual_slide_max_fit of the nearer end; the seam on a line within
    # gradual_slide_max_wobble rows; the moved parts fit within gradual_slide_max_moved of the
    # same parts unmoved. 0 turns it off.
    gradual_slide_max_fit: float = 0.9
    gradual_slide_max_wobble: float = 0.6
    gradual_slide_max_moved: float = 0.6
    gradual_slide_min_share: float = 0.5
    gradual_texture_min_sharpness: float = 1.0  # both ends at least this: fine textures
    # A camera's own blur (a focus pull, a whip of the camera) is no transition: a gradual
    # span whose frames, for at least gradual_defocus_min_s, keep gradual_defocus_min_contrast
    # of the shots' grey contrast but drop to gradual_defocus_max_sharpness of their sharpness
    # (Laplacian energy per unit of grey variance, which a fade or blend keeps), between
    # shots of one palette (histogram distance below gradual_min_hist), is dropped with the
    # cuts inside it. The shots' levels are medians over gradual_defocus_side_s each side, and
    # both shots have grey contrast (std) >= gradual_defocus_min_std (a dark or plain picture's
    # sharpness is its noise's); a span longer than gradual_defocus_max_s holds more than one
    # event (a shot of its own between two transitions). 0 turns it off.
    gradual_defocus_max_sharpness: float = 0.35
    gradual_defocus_min_contrast: float = 0.4
    gradual_defocus_min_s: float = 0.2
    gradual_defocus_max_s: float = 3.0
    gradual_defocus_min_std: float = 16.0
    gradual_defocus_side_s: float = 0.5
    # ... unless the span holds a fade through a flat picture found at its cut
    # (`_through_flat_span`): a blur beside it is the shot's own (a fast pan), the fade a
    # change of shot all the same.
    gradual_defocus_spares_fades: bool = True
    # ... nor one that holds a fade through a flat picture a lag peak's span was narrowed to
    # (gradual_flat_fade_peaks): no cut found it, a fade all the same.
    gradual_defocus_spares_peak_fades: bool = True
    # ... nor a span that holds frames `_moving_dissolves` found to be blends of two unrelated
    # pictures (a dissolve whose middle frames are blurred, xfade's hblur): a camera's blur
    # keeps one picture, a mix of two is a change of shot however soft its frames.
    gradual_defocus_spares_mixes: bool = True
    # ... nor one whose frames before its soft ones (after them) get sharper than
    # gradual_defocus_max_rise times the shot before (after) it: a camera's blur only takes
    # detail away, a wipe's edges or slices add it (a wipe into a low-detail shot whose soft
    # frames read as a blur). Each side against its own sharpness, not the softer side's.
    # None turns it off.
    gradual_defocus_max_rise: float | None = 6.0
    # A sharpness dip (as `_camera_blur` takes one, its ends where sharpness is back to
    # gradual_swap_edge_sharpness of the side's) between two different pictures is a
    # transition (xfade's hblur between similar moving shots): the grey thumbnails' correlation
    # across the dip at most gradual_swap_max_share of that of frames as far apart on each side
    # (itself at least gradual_swap_min_base), and the camera's path through it (thumbnail
    # shifts, in thumbnail widths) at most gradual_swap_max_path (a whip gets far by moving).
    gradual_swap_max_share: float | None = 0.5
    gradual_swap_min_base: float = 0.15
    gradual_swap_max_path: float = 0.6
    gradual_swap_edge_sharpness: float = 0.7
    # A swap's span is the frames between the dip's clean ends, with no gradual_pad_s and no
    # refinement: at full rate the shots' own motion reads as the transition's steps.
    gradual_swap_exact: bool = True
    # A dip to gradual_hblur_max_sharpness of the side's sharpest, closed within
    # gradual_defocus_max_s, through frames that lost their detail across the picture far more
    # than down it (xfade's hblur averages each row over up to half the width while the shots
    # mix) is a swap too (`_row_blurs`): the grey thumbnails' gradient energy across over that
    # down at most gradual_hblur_max_aniso of the sides' for gradual_hblur_min_s to
    # gradual_hblur_max_s, rising from its lowest gradual_hblur_min_rise times on both sides
    # (the blur widens, then narrows), their energy down at its lowest within
    # gradual_hblur_min_down-_max_down of the sides' (the mix; a stretched or motion-blurred
    # picture keeps it, a fade through black loses it), the sides' at least
    # gradual_hblur_min_detail (a flat picture's is its noise's). Its ends are where sharpness
    # and the rows (gradual_hblur_edge of the side's ratio) are back, one frame more where
    # the rows moved them. None turns it off.
    gradual_hblur_max_sharpness: float | None = 0.5
    gradual_hblur_max_aniso: float = 0.35
    gradual_hblur_min_s: float = 0.2
    gradual_hblur_min_detail: float = 10.0
    gradual_hblur_max_s: float = 2.0
    gradual_hblur_max_down: float = 0.5
    gradual_hblur_min_down: float = 0.05
    gradual_hblur_min_rise: float = 2.5
    gradual_hblur_edge: float = 0.8
    # A row blur's swap takes the place of the gradual spans merged with it.
    gradual_swap_wins: bool = True
    # A row blur's start moves back over the analysed frames just before it that step by a
    # transition's step (`_fast_lead`).
    gradual_swap_lead: bool = True
    # Black bars (a letterboxed or pillar-boxed film) are no part of the picture: with
    # inside_bars the boundary features are read on the picture inside them, at the picture's
    # own analysis size (`PictureBars`). A bar's row or column is dark (mean grey at most
    # bars_max_luma) and flat (std at most bars_max_std), on a side at most bars_max_frac of it;
    # it narrows once every frame over bars_change_s has had it narrower. Where the box changes,
    # the thumbnails of the frames over bars_reread_s before are read again in the new box
    # (from small whole frames kept that long), so that a span being judged is of one crop.
    inside_bars: bool = True
    bars_max_luma: float = 24.0
    bars_max_std: float = 6.0
    bars_max_frac: float = 0.3
    bars_change_s: float = 0.25
    bars_reread_s: float = 6.0

    def __post_init__(self):
        if self.refine_context_s <= 0 or self.refine_max_extend_s < 0:
            raise ValueError("scenes.refine_context_s must be > 0, refine_max_extend_s >= 0")
        if self.refine_rise < 1 or self.refine_floor < 0 or self.refine_margin_frames < 0:
            raise ValueError("scenes.refine_rise >= 1, refine_floor and margin_frames >= 0")
        if not 0 <= self.refine_uncertain_frac <= 1 or self.refine_uncertain_s < 0:
            raise ValueError("scenes.refine_uncertain_frac in [0, 1], refine_uncertain_s >= 0")
        if self.refine_settle_eps < 0 or self.refine_settle_s <= 0:
            raise ValueError("scenes.refine_settle_eps must be >= 0, refine_settle_s > 0")
        if (
            self.refine_settle_min_change < 0
            or self.refine_settle_max_residual < 0
            or not (-1 <= self.refine_settle_min_cos <= 1)
        ):
            raise ValueError(
                "scenes.refine_settle_min_change, _max_residual >= 0, _min_cos in [-1, 1]"
            )
        if self.refine_trend_s <= 0 or self.refine_faint_s < 0 or self.refine_still_floor < 0:
            raise ValueError("scenes.refine_trend_s > 0, refine_faint_s, still_floor >= 0")
        if not -1 <= self.fade_min_ncc <= 1:
            raise ValueError("scenes.fade_min_ncc must be in [-1, 1]")
        if self.fade_min_rate < 0 or self.fade_contrast_tol < 0 or self.fade_max_s < 0:
            raise ValueError("scenes.fade_min_rate, fade_contrast_tol and fade_max_s must be >= 0")
        if self.refine_ramp_noise < 0:
            raise ValueError("scenes.refine_ramp_noise must be >= 0")
        if self.refine_shrink_min_s is not None and self.refine_shrink_min_s < 0:
            raise ValueError("scenes.refine_shrink_min_s must be >= 0 (or null)")
        if self.refine_calm_max_dip is not None and not 0 <= self.refine_calm_max_dip <= 1:
            raise ValueError("scenes.refine_calm_max_dip must be in [0, 1] (or null)")
        if not 0 <= self.cut_band_min < 0.5 or self.cut_band_ratio < 0 or self.cut_band_moved < 0:
            raise ValueError("scenes.cut_band_min in [0, 0.5), _ratio and _moved >= 0")
        if self.cut_refresh_max_ratio < 0 or not -1 <= self.cut_refresh_min_ncc <= 1:
            raise ValueError("scenes.cut_refresh_max_ratio >= 0, cut_refresh_min_ncc in [-1, 1]")
        if self.cut_whip_moved < 0:
            raise ValueError("scenes.cut_whip_moved must be >= 0")
        if self.gradual_pan_max_share < 0:
            raise ValueError("scenes.gradual_pan_max_share must be >= 0")
        if self.flash_motion_ratio < 0 or not 0 <= self.flash_jump_ratio <= 1:
            raise ValueError("scenes.flash_motion_ratio >= 0, flash_jump_ratio in [0, 1]")
        if (
            not 0 <= self.pan_moved < 1
            or min(self.pan_seam, self.pan_seam_floor, self.pan_min_s) < 0
        ):
            raise ValueError(
                "scenes.pan_moved in [0, 1), pan_seam, pan_seam_floor and pan_min_s >= 0"
            )
        if self.pan_whip_widths < 0:
            raise ValueError("scenes.pan_whip_widths >= 0")
        if self.refine_cut_pin_max_s < 0:
            raise ValueError("scenes.refine_cut_pin_max_s must be >= 0")
        if not 0 < self.refine_cut_max_other < 1:
            raise ValueError("scenes.refine_cut_max_other must be in (0, 1)")
        if not 0 <= self.refine_edge_min_share < 1:
            raise ValueError("scenes.refine_edge_min_share must be in [0, 1)")
        if self.refine_zoom_min_scale is not None and self.refine_zoom_min_scale <= 1:
            raise ValueError("scenes.refine_zoom_min_scale must be > 1 (or null)")
        if (
            not 0 <= self.refine_zoom_max_broken < 1
            or not -1 <= self.refine_zoom_broken_min_ncc <= 1
        ):
            raise ValueError("scenes.refine_zoom_max_broken in [0, 1), _broken_min_ncc in [-1, 1]")
        if self.refine_same_shot_min_ecc is not None and not 0 < self.refine_same_shot_min_ecc <= 1:
            raise ValueError("scenes.refine_same_shot_min_ecc must be in (0, 1] (or null)")
        if self.refine_same_shot_min_cast is not None and self.refine_same_shot_min_cast <= 0:
            raise ValueError("scenes.refine_same_shot_min_cast must be > 0 (or null)")
        if self.refine_same_shot_still_shift is not None and not (
            0 < self.refine_same_shot_still_shift <= SAME_SHOT_MAX_SHIFT
        ):
            raise ValueError("scenes.refine_same_shot_still_shift must be in (0, 0.2] (or null)")
        if self.refine_stepped_max_ratio is not None and not (
            0 < self.refine_stepped_max_ratio <= self.refine_stepped_max_tiny_ratio
        ):
            raise ValueError("scenes.refine_stepped_max_ratio must be in (0, _max_tiny_ratio]")
        if self.refine_stepped_window_s <= 0:
            raise ValueError("scenes.refine_stepped_window_s must be > 0")
        if self.refine_one_shot_min_ncc is not None and not 0 < self.refine_one_shot_min_ncc <= 1:
            raise ValueError("scenes.refine_one_shot_min_ncc must be in (0, 1] (or null)")
        if not 0 < self.refine_one_shot_min_overlap <= 1:
            raise ValueError("scenes.refine_one_shot_min_overlap must be in (0, 1]")
        if not 0 < self.refine_one_shot_min_step <= 1:
            raise ValueError("scenes.refine_one_shot_min_step must be in (0, 1]")
        if self.refine_zoom_broken_max_residual < 0:
            raise ValueError("scenes.refine_zoom_broken_max_residual must be >= 0")
        if not -1 <= self.refine_zoom_min_ncc <= 1 or self.refine_zoom_max_step <= 0:
            raise ValueError("scenes.refine_zoom_min_ncc in [-1, 1], refine_zoom_max_step > 0")
        if self.refine_zoom_fast_step <= 0 or self.refine_zoom_piece_s < 0:
            raise ValueError("scenes.refine_zoom_fast_step > 0, refine_zoom_piece_s >= 0")
        if not 0 <= self.gradual_peak_valley < 1:
            raise ValueError("scenes.gradual_peak_valley must be in [0, 1)")
        if self.gradual_seed_min_content < 0:
            raise ValueError("scenes.gradual_seed_min_content must be >= 0")
        if not 0 <= self.gradual_weakest_hist <= 1:
            raise ValueError("scenes.gradual_weakest_hist must be in [0, 1]")
        if self.gradual_wipe_min_rms <= 0 or self.gradual_wipe_tol <= 0:
            raise ValueError("scenes.gradual_wipe_min_rms and gradual_wipe_tol must be > 0")
        if (
            not 0 <= self.gradual_wipe_min_explained <= 1
            or not -1 <= self.gradual_wipe_min_trend <= 1
        ):
            raise ValueError("scenes.gradual_wipe_min_explained in [0, 1], _min_trend in [-1, 1]")
        if not 0 <= self.gradual_wipe_max_unsettled <= 1:
            raise ValueError("scenes.gradual_wipe_max_unsettled must be in [0, 1]")
        if self.gradual_wipe_min_s < 0 or not 0 <= self.gradual_wipe_min_apart <= 1:
            raise ValueError("scenes.gradual_wipe_min_s >= 0, gradual_wipe_min_apart in [0, 1]")
        if self.gradual_texture_min_sharpness < 0:
            raise ValueError("scenes.gradual_texture_min_sharpness must be >= 0")
        if not 0 <= self.gradual_texture_max_ratio <= 1:
            raise ValueError("scenes.gradual_texture_max_ratio must be in [0, 1]")
        if not 0 <= self.gradual_slide_max_fit <= 1 or not 0 < self.gradual_slide_max_moved <= 1:
            raise ValueError("scenes.gradual_slide_max_fit in [0, 1], _max_moved in (0, 1]")
        if self.gradual_slide_max_wobble <= 0 or not 0 <= self.gradual_slide_min_share <= 1:
            raise ValueError("scenes.gradual_slide_max_wobble > 0, _min_share in [0, 1]")
        if self.gradual_cut_min_step <= 0:
            raise ValueError("scenes.gradual_cut_min_step must be > 0")
        if self.burst_cut_min_ratio < 0:
            raise ValueError("scenes.burst_cut_min_ratio must be >= 0")
        if self.shake_max_s < 0:
            raise ValueError("scenes.shake_max_s must be >= 0")
        if self.cut_burst_ratio < 1:
            raise ValueError("scenes.cut_burst_ratio must be >= 1")
        if not -1 <= self.gradual_blend_max_ncc <= 1 or not -1 <= self.gradual_blend_min_trend <= 1:
            raise ValueError("scenes.gradual_blend_max_ncc and _min_trend must be in [-1, 1]")
        if any(w <= 0 for w in self.gradual_mix_windows_s) or not (
            0 <= self.gradual_mix_min_share <= self.gradual_mix_max_share <= 1
            and 0 <= self.gradual_mix_min_residual <= self.gradual_mix_max_residual
            and 0 <= self.gradual_mix_min_apart <= self.gradual_mix_max_apart
            and self.gradual_mix_far_min_contrast >= 0
            and -1 <= self.gradual_mix_far_max_ncc <= self.gradual_mix_fade_max_ncc <= 1
            and self.gradual_mix_fade_min_step >= 0
            and 0 <= self.gradual_mix_trim_share < 0.5
            and 0 <= self.gradual_mix_coarse_max_dip <= 1
            and (self.gradual_mix_veil_rise is None or self.gradual_mix_veil_rise >= 1)
            and self.gradual_mix_veil_reach_s > 0
            and (
                self.gradual_mix_coarse_max_ncc is None
                or -1 <= self.gradual_mix_coarse_max_ncc <= 1
            )
        ):
            raise ValueError(
                "scenes.gradual_mix_windows_s must be > 0, the _min/_max pairs ordered and >= 0,"
                " gradual_mix_far_min_contrast >= 0, gradual_mix_far_max_ncc <="
                " gradual_mix_fade_max_ncc in [-1, 1], gradual_mix_fade_min_step >= 0 and"
                " gradual_mix_trim_share in [0, 0.5), gradual_mix_coarse_max_dip in [0, 1],"
                " gradual_mix_coarse_max_ncc null or in [-1, 1], gradual_mix_veil_rise null or"
                " >= 1, gradual_mix_veil_reach_s > 0"
            )
        if not (
            self.gradual_grain_min_rise >= 0
            and 0 < self.gradual_grain_fall < 1
            and 0 <= self.gradual_grain_min_s <= self.gradual_grain_max_s
            and self.gradual_grain_side_s > 0
            and self.gradual_grain_max_contrast >= 0
            and -1 <= self.gradual_grain_min_trend <= 1
        ):
            raise ValueError(
                "scenes.gradual_grain_min_rise >= 0, _fall in (0, 1), _min_s <= _max_s,"
                " _side_s > 0, _max_contrast >= 0, _min_trend in [-1, 1]"
            )
        if self.gradual_blend_max_residual < 0 or self.gradual_blend_min_s < 0:
            raise ValueError("scenes.gradual_blend_max_residual and _min_s must be >= 0")
        if not 0 <= self.gradual_defocus_max_sharpness < 1 or self.gradual_defocus_min_s < 0:
            raise ValueError("scenes.gradual_defocus_max_sharpness in [0, 1), _min_s >= 0")
        if self.gradual_defocus_min_contrast < 0 or self.gradual_defocus_side_s <= 0:
            raise ValueError("scenes.gradual_defocus_min_contrast >= 0, _side_s > 0")
        if self.gradual_defocus_max_s <= 0 or self.gradual_defocus_min_std < 0:
            raise ValueError("scenes.gradual_defocus_max_s > 0, _min_std >= 0")
        if self.gradual_defocus_max_rise is not None and self.gradual_defocus_max_rise < 1:
            raise ValueError("scenes.gradual_defocus_max_rise >= 1 or None")
        if self.bars_change_s < 0 or self.bars_reread_s < 0:
            raise ValueError("scenes.bars_change_s and bars_reread_s must be >= 0")
        if self.bars_max_luma < 0 or self.bars_max_std < 0 or not 0 < self.bars_max_frac < 0.5:
            raise ValueError("scenes.bars_max_luma, _max_std >= 0, bars_max_frac in (0, 0.5)")


class PictureBars:
    """The black bars the boundary features are read inside: on each side, what the first lit
    frame had (`borders.bars_of` on its grey; a side over bars_max_frac is a dark picture
    beside it, a frame dark all over tells nothing), and then fewer where every frame over
    `bars_change_s` has had fewer (the widest of them). The box only grows: a dark scene or a
    fade through black never shrinks it, and bars that shake with the picture (a shake of a
    pillar-boxed 4:3 shot: a bar 2-54 px wide at 7 Hz) leave it, so one shot keeps one
    geometry (the box grown mid-shake made the shake part of a fade's span)."""

    def __init__(self, config: BoundaryConfig):
        self.borders = BorderConfig(
            max_luma=config.bars_max_luma,
            max_std=config.bars_max_std,
            max_frac=config.bars_max_frac,
        )
        self.change_s = config.bars_change_s
        self.reread_s = config.bars_reread_s
        self.sides: list[int | None] = [None] * 4  # top, bottom, left, right
        self.runs: list[tuple[float, int] | None] = [None] * 4  # (since, widest) fewer bars
        self.shape: tuple[int, int] | None = None

    def box(self, frame: AnalysisFrame, t_s: float = 0.0) -> tuple[int, int, int, int] | None:
        """The picture box (x0, y0, x1, y1) with `frame` (at `t_s`) seen (the bars its view
        shares with the border analyzer's), None while no side has a bar."""
        if self.whole():  # for good: no bars to read (most sources, from their first frame)
            return None
        height, width = self.shape = frame.shape[:2]
        bars = frame.view(("bars", self.borders), lambda f: bars_of(f.grey(), self.borders))
        if bars[0] < height:
            sizes = (height, height, width, width)
            for k, (side, size) in enumerate(zip(bars, sizes, strict=True)):
                if side > self.borders.max_frac * size:
                    # A dark picture beside the bar: bars are centred, so where the opposite
                    # side has one, this side's is as wide (a fade out of a shot dark on its
                    # right had the right bar set mid-fade: the box shrank, and the features
                    # across it, of two crops, made a cut; final set, pillar-boxed).
                    opposite = bars[k ^ 1]
                    if not 0 < opposite <= self.borders.max_frac * size:
                        continue
                    side = opposite
                now, run = self.sides[k], self.runs[k]
                if now is None or side == 0:  # the first lit frame's; a lit edge: no bar
                    self.sides[k], self.runs[k] = side, None
                elif side >= now:
                    self.runs[k] = None
                elif run is None:
                    self.runs[k] = (t_s, side)
                else:
                    self.runs[k] = run = (run[0], max(run[1], side))
                    if t_s - run[0] >= self.change_s:
                        self.sides[k], self.runs[k] = run[1], None
        return self._box()

    def _box(self) -> tuple[int, int, int, int] | None:
        if self.shape is None:
            return None
        height, width = self.shape
        return picture_box(tuple(s or 0 for s in self.sides), width, height, self.borders)

    def whole(self) -> bool:
        """Every side has had a lit edge: the box is the whole frame from now on."""
        return self.sides == [0, 0, 0, 0]

    def fraction(self) -> tuple[float, float, float, float] | None:
        """The last box as (x0, y0, x1, y1) fractions of the frame, for the full-rate windows."""
        box = self._box()
        if box is None:
            return None
        height, width = self.shape
        x0, y0, x1, y1 = box
        return x0 / width, y0 / height, x1 / width, y1 / height


@dataclass
class BoundaryFeatures:
    """Per analysed frame: time, content score, histograms, a thumbnail, grey contrast
    (standard deviation) and sharpness (Laplacian variance over grey variance), all of the
    picture inside the frame's box (`AnalysisFrame.picture`; the decode pass sets it from
    `bars`, and scales the picture inside on its own, as an unboxed frame is analysed)."""

    times_s: list[float] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    hists: list[np.ndarray] = field(default_factory=list)
    tinies: list[np.ndarray] = field(default_factory=list)
    contrasts: list[float] = field(default_factory=list)
    sharpness: list[float] = field(default_factory=list)
    bars: PictureBars | None = None  # the bars the decode pass reads the features inside
    _prev_hsv: np.ndarray | None = None
    _prev_box: tuple[int, int, int, int] | None = None
    # (index, whole frame at WHOLE_SIZE) of the frames over bars.reread_s, with bars only
    _recent: deque = field(default_factory=deque)
    _crop_since: int = 0  # the first frame whose thumbnail is of the box now

    def picture_box(self, t_s: float, frame: AnalysisFrame) -> tuple[int, int, int, int] | None:
        """The box `frame`'s features are read inside (`PictureBars`), None without bars."""
        return None if self.bars is None else self.bars.box(frame, t_s)

    def add(self, t_s: float, frame: AnalysisFrame | np.ndarray) -> None:
        """One analysed frame, read inside its `box`; an `AnalysisFrame` shares its views (grey,
        Laplacian, the picture scaled on its own) with the analyzers. Read whole, a bar's black
        took its share off every score and histogram (a letterboxed cut lost), and a picture
        cut from the analysis frame has fewer pixels, its scores ~3.5 % higher (a letterboxed
        cockatoo's false cut at 6.75 s, 27.7 against the threshold 27; 26.7 unboxed)."""
        import cv2

        frame = as_frame(frame)
        picture = frame.picture()
        height, width = frame.shape[:2]
        box = frame.box or (0, 0, width, height)
        hsv = cv2.cvtColor(picture.bgr, cv2.COLOR_BGR2HSV)
        if self._prev_hsv is None:
            score = 0.0
        else:
            before, now = self._prev_hsv, hsv
            if box != self._prev_box:  # the bars' box grew: the part both frames show
                before, now = _same_part(before, self._prev_box, now, box)
            h, s, v, _ = cv2.mean(cv2.absdiff(now, before))
            score = (h + s + v) / 3.0
        if self.bars is not None:
            self._keep_recent(t_s, frame.bgr, box)
        self._prev_hsv, self._prev_box = hsv, box
        hs = cv2.calcHist([hsv], [0, 1], None, list(HS_BINS), [0, 180, 0, 256]).ravel()
        v_hist = cv2.calcHist([hsv], [2], None, [V_BINS], [0, 256]).ravel()
        n = float(hsv.shape[0] * hsv.shape[1])
        self.times_s.append(t_s)
        self.scores.append(score)
        self.hists.append(np.concatenate([hs, v_hist]).astype(np.float32) / n)
        self.tinies.append(cv2.resize(picture.bgr, TINY_SIZE, interpolation=cv2.INTER_AREA))
        inner = frame.picture(inner=True)
        std = float(cv2.meanStdDev(inner.grey())[1][0, 0])
        lap = _moments_std(*inner.laplacian_moments())
        self.contrasts.append(std)
        self.sharpness.append((lap / std) ** 2 if std > 1e-3 else 0.0)

    def _keep_recent(self, t_s: float, whole: np.ndarray, box: tuple[int, int, int, int]) -> None:
        """Keeps this frame whole (small) and, where the box changed at most bars_reread_s
        after the frames read in one crop began, reads their thumbnails again in the new box:
        thumbnails of two crops across a change made one shot two (an unboxed film dark on its
        top and bottom rows, the box grown twice during a diagonal wipe into colour bars: the
        wipe check failed on them and the wipe was kept). A crop held longer is the film's
        bars: its frames keep it (read again over the last bars_reread_s only, the step into
        them made a cut; chaplin pillar-boxed, its box grown by a wipe 6 s later)."""
        import cv2

        recent = self._recent
        while recent and t_s - self.times_s[recent[0][0]] > self.bars.reread_s:
            recent.popleft()
        index = len(self.times_s)
        if self._prev_box is None:
            self._crop_since = 0
        elif box != self._prev_box:
            if t_s - self.times_s[self._crop_since] > self.bars.reread_s:
                self._crop_since = index
            else:
                height, width = whole.shape[:2]
                sx, sy = WHOLE_SIZE[0] / width, WHOLE_SIZE[1] / height
                x0, x1 = round(box[0] * sx), max(round(box[0] * sx) + 1, round(box[2] * sx))
                y0, y1 = round(box[1] * sy), max(round(box[1] * sy) + 1, round(box[3] * sy))
                for k, kept in recent:
                    if k >= self._crop_since:
                        self.tinies[k] = cv2.resize(
                            kept[y0:y1, x0:x1], TINY_SIZE, interpolation=cv2.INTER_AREA
                        )
        if self.bars.whole():  # it cannot change again: nothing to read again (most sources)
            recent.clear()
            return
        recent.append((index, cv2.resize(whole, WHOLE_SIZE, interpolation=cv2.INTER_AREA)))

    def __len__(self) -> int:
        return len(self.times_s)


def _same_part(
    a: np.ndarray, box_a: tuple[int, ...], b: np.ndarray, box_b: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """The part of the frame inside both boxes, cut from `a` (the picture inside `box_a`, at
    its own scale) and from `b`, `a`'s part scaled to `b`'s."""
    import cv2

    x0, y0 = max(box_a[0], box_b[0]), max(box_a[1], box_b[1])
    x1, y1 = min(box_a[2], box_b[2]), min(box_a[3], box_b[3])

    def cut(image: np.ndarray, box: tuple[int, ...]) -> np.ndarray:
        sx = image.shape[1] / (box[2] - box[0])
        sy = image.shape[0] / (box[3] - box[1])
        rows = slice(round((y0 - box[1]) * sy), max(1, round((y1 - box[1]) * sy)))
        return image[rows, round((x0 - box[0]) * sx) : max(1, round((x1 - box[0]) * sx))]

    a, b = cut(a, box_a), cut(b, box_b)
    return cv2.resize(a, (b.shape[1], b.shape[0]), interpolation=cv2.INTER_AREA), b


def _moments_std(n: int, total: int, squares: int) -> float:
    """The standard deviation from a count, sum and sum of squares, in the arithmetic of
    OpenCV's `meanStdDev` (the same bits as it gives on the values themselves)."""
    scale = 1.0 / n
    mean = total * scale
    return math.sqrt(max(squares * scale - mean * mean, 0.0))


def hist_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Half L1 distance of the joint hue-saturation (weight 0.7) and value (0.3) histograms;
    between two grey pictures (whose hue-saturation histograms are nearly one bin) at least
    that of the value histograms alone (a tint of their grey still counts as before)."""
    n_hs = HS_BINS[0] * HS_BINS[1]
    d_hs = 0.5 * np.abs(a[..., :n_hs] - b[..., :n_hs]).sum(-1)
    d_v = 0.5 * np.abs(a[..., n_hs:] - b[..., n_hs:]).sum(-1)
    both = 0.7 * d_hs + 0.3 * d_v
    # The lowest saturation bin of each hue (the joint histogram is hue-major).
    grey_a = a[..., : n_hs : HS_BINS[1]].sum(-1) >= GREY_SHARE
    grey_b = b[..., : n_hs : HS_BINS[1]].sum(-1) >= GREY_SHARE
    return np.where(grey_a & grey_b, np.maximum(d_v, both), both)


def _ncc(a: np.ndarray, b: np.ndarray, config: BoundaryConfig | None = None) -> float:
    """Normalised correlation of two thumbnails' grey levels: 1 = same structure. Two even
    pictures (no grey structure) have the same (1); an even one and a structured one none (0:
    a reveal of a plain colour picture is a change of shot, not a shot that keeps its layout).
    With `config` (and ncc_inside_bars), inside the black bars both share (`_shared_bars`)."""
    ga, gb = a.astype(np.float32).mean(-1), b.astype(np.float32).mean(-1)
    if config is not None and config.ncc_inside_bars:
        rows, cols = _shared_bars(ga, gb, config)
        ga, gb = ga[rows, cols], gb[rows, cols]
    ga, gb = ga.ravel(), gb.ravel()
    ga, gb = ga - ga.mean(), gb - gb.mean()
    na, nb = float(np.linalg.norm(ga)), float(np.linalg.norm(gb))
    if na * nb > 1e-6:
        return float(ga @ gb / (na * nb))
    return 1.0 if max(na, nb) <= 1e-3 * math.sqrt(len(ga)) else 0.0


def _shared_bars(ga: np.ndarray, gb: np.ndarray, config: BoundaryConfig) -> tuple[slice, slice]:
    """The rows and columns of two grey thumbnails inside the black bars both have. A bar is
    the outer rows (columns) dark and flat (mean at most bars_max_luma, std at most
    bars_max_std), up to bars_max_frac of the height (width), that meet the picture at an edge:
    the row beside them brighter than their last by more than bars_max_luma (a picture fading
    to black towards its border, a gradient, has none). Two shots boxed alike in a video not
    boxed as a whole (the decode pass reads it whole) share bars that correlate as structure:
    round-15 set, seed 1502, a smooth wipe between two letterboxed films, their thumbnails
    correlating 0.68 whole, 0.39 inside."""

    def bar(g: np.ndarray, axis: int, end: int) -> int:
        lines = g if axis == 1 else g.T
        if end:
            lines = lines[::-1]
        mean, std = lines.mean(1), lines.std(1)
        dark = (mean <= config.bars_max_luma) & (std <= config.bars_max_std)
        most = min(int(config.bars_max_frac * len(lines)), len(lines) - 1)
        n = 0
        while n < most and dark[n]:
            n += 1
        return n if n and mean[n] - mean[n - 1] > config.bars_max_luma else 0

    def inside(axis: int) -> slice:
        size = ga.shape[1 - axis]
        start, end = (min(bar(ga, axis, e), bar(gb, axis, e)) for e in (0, 1))
        return slice(start, size - end)

    return inside(1), inside(0)


def _flat(tiny: np.ndarray) -> bool:
    """A near-uniform thumbnail (black, white, one colour)."""
    return float(tiny.astype(np.float32).std()) < 8.0


def _rms(a: np.ndarray, b: np.ndarray) -> float:
    """The root mean square difference of two thumbnails, in float32: `np.mean`'s sum (the
    same pairwise reduction) and division to the bit, without its wrapper (~2x faster; the
    post-pass calls it ~5k times on the bench input)."""
    d = np.subtract(a, b, dtype=np.float32)
    d *= d
    return float(np.sqrt(np.add.reduce(d, axis=None) / np.float32(d.size)))


def hard_cut_indices(
    times: np.ndarray,
    scores: np.ndarray,
    tinies: list[np.ndarray],
    config: BoundaryConfig,
    shakes: list[tuple[int, int]] | None = None,
    hists: list[np.ndarray] | None = None,
) -> list[int]:
    """Analysed frames that start a new shot after a jump in the content score.

    Jumps closer than `min_scene_s` are merged as PySceneDetect's default flash filter does
    (a burst of jumps, e.g. a fast pan, gives at most one cut, at its last jump). A burst's
    first jump can be fast motion just before the cut (two frames apart where the pass skips
    non-reference frames: bikes.mp4's pan before its 3.04 s cut scored 27.3, the cut 46.7):
    the cut moves to a jump `cut_burst_ratio` times as high within `min_scene_s` after it.
    A burst that gives back the picture from before it (its content score, or with `hists`
    its colours and structure) is a shake, not two cuts: its (first, last) jump go to `shakes`.
    """
    if config.detector == "adaptive":
        w = 2
        padded = np.pad(scores, w, mode="edge")
        windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * w + 1)
        neighbours = (windows.sum(1) - scores) / (2 * w)
        ratio = np.where(neighbours > 1e-6, scores / np.maximum(neighbours, 1e-6), 0.0)
        above = (ratio >= config.adaptive_threshold) & (scores >= config.adaptive_min_content)
    else:
        above = scores >= config.threshold
    above[0] = False
    found: list[int] = []
    burst_ends: set[int] = set()  # cuts at the last jump of a burst
    length = config.min_scene_s
    last_above, last_above_i = times[0], 0
    merge_enabled, merging, merge_start = False, False, 0.0
    for i in range(1, len(times)):
        t, up = times[i], bool(above[i])
        long_enough = t - last_above >= length
        if up:
            last_above, last_above_i = t, i
        if merging:
            if long_enough and not up and last_above - merge_start >= length:
                merging = False
                found.append(last_above_i)
                burst_ends.add(last_above_i)
            continue
        if not up:
            continue
        if long_enough:
            merge_enabled = True
            found.append(i)
        elif merge_enabled:
            merging, merge_start = True, t
    for n, i in enumerate(found):
        end = int(np.searchsorted(times, times[i] + length, side="left"))
        j = i + int(np.argmax(scores[i:end])) if end > i else i
        if scores[j] >= config.cut_burst_ratio * scores[i]:
            found[n] = j
    # A burst of jumps (its first and last give a cut each) that gives back the picture from
    # before it within shake_max_s is a violent camera shake or a long occlusion in one shot.
    # The shake may start and end below the threshold: frames up to min_scene_s before it and
    # flash_s after it are compared.
    ups = np.flatnonzero(above)
    shaken: set[int] = set()
    # A burst whose first jump gave no cut (the merge still ran from an earlier short burst)
    # is judged from its first jump too; a short one as well, where its last jump's frame
    # before is inside it (dev set, seed 1: a flash jumping in and out two frames apart, 4 s
    # after a fade's jumps, made a cut as it went out).
    pairs = list(itertools.pairwise(found))
    for b in sorted(burst_ends & set(found)):
        k = int(np.searchsorted(ups, b))
        while k > 0 and times[ups[k]] - times[ups[k - 1]] < length:
            k -= 1
        if ups[k] < b and (int(ups[k]), b) not in pairs:
            pairs.append((int(ups[k]), b))

    def same(k: int, j: int) -> bool:
        """The picture of frame `k` again at `j`: a content score as low as a flash's, or
        (moving more over a shake's second) the colours and the structure kept."""
        if _content(tinies[k], tinies[j]) < config.flash_max_score:
            return True
        return (
            hists is not None
            and float(hist_distance(hists[k], hists[j])) < config.gradual_weak_hist
            and _ncc(tinies[k], tinies[j], config) >= config.gradual_max_ncc
        )

    for a, b in pairs:
        if times[b] - times[a] > config.shake_max_s:
            continue
        burst = times[ups[(ups >= a) & (ups <= b)]]
        if len(burst) < 2 or np.any(np.diff(burst) >= length):
            continue  # two bursts, or calm frames between: two cuts
        start = int(np.searchsorted(times, times[a] - length))
        end = int(np.searchsorted(times, times[b] + config.flash_s, side="right"))
        if any(same(k, j) for k in range(start, a) for j in range(b, min(end, len(tinies)))):
            shaken |= {a, b}
            if shakes is not None:
                shakes.append((a, b))
    cuts = []
    for i in found:
        if i in shaken:
            continue
        # The last jump of a burst (a fast pattern slowing down): the shot's own motion.
        if i in burst_ends and _burst_motion(times, tinies, i, length, config.burst_cut_min_ratio):
            continue
        # A flash: some frame shortly after looks like the one before the jump again.
        end = int(np.searchsorted(times, times[i] + config.flash_s, side="right"))
        if any(_flash_back(times, tinies, i, j, config) for j in range(i + 1, end)):
            continue
        if _whip(tinies, i, config) or _refresh(times, tinies, hists, i, config):
            continue
        # A jump inside a run of large steps (`suspicious_cut`) with the same picture
        # gradual_window_s before and after it (a content score as low as a flash's, or the
        # colours and the structure kept, as a shake gives back) is an object crossing the
        # frame, no cut: a slide's or a wipe's ends are different shots (round-14 set, seed
        # 1201: a box 70 % of the frame wide crossing Big Buck Bunny in 1 s, one step of 28.1
        # among steps of 21-44; the ends 2.5 s apart: colours 0.20 apart, correlation 0.93).
        if config.cut_crossing and hists is not None and suspicious_cut(tinies, i):
            k = max(0, int(np.searchsorted(times, times[i - 1] - config.gradual_window_s)))
            j = min(len(times), int(np.searchsorted(times, times[i] + config.gradual_window_s)))
            if j < len(times) and same(k, j):
                continue
        cuts.append(i)
    return cuts


def _refresh(
    times: np.ndarray,
    tinies: list[np.ndarray],
    hists: list[np.ndarray] | None,
    i: int,
    config: BoundaryConfig,
) -> bool:
    """The content score's jump into frame `i` changed only fine detail: the thumbnails either
    side keep their structure (correlation from cut_refresh_min_ncc) and step by at most
    cut_refresh_max_ratio times the median of the shot's own steps over min_scene_s each side.
    An encoder's keyframe refreshes fine texture at once (next set, seed 802: the Game of Life
    at a periodic keyframe, content 41 among 18-25, its thumbnail step 5.6 among 4.6-6.1,
    correlation 0.96); a cut changes the picture, a step above the shots' own."""
    if config.cut_refresh_max_ratio <= 0 or not 0 < i < len(tinies) or hists is None:
        return False
    if _ncc(tinies[i - 1], tinies[i], config) < config.cut_refresh_min_ncc:
        return False
    # ... and the colours gradual_window_s either side alike (below gradual_weakest_hist): a
    # jump inside a transition (a smooth slide's) is judged with the frames around it.
    a = int(np.searchsorted(times, times[i - 1] - config.gradual_window_s))
    b = min(len(times), int(np.searchsorted(times, times[i] + config.gradual_window_s))) - 1
    if float(hist_distance(hists[a], hists[b])) >= config.gradual_weakest_hist:
        return False
    lo = max(1, int(np.searchsorted(times, times[i] - config.min_scene_s)))
    hi = min(len(tinies), int(np.searchsorted(times, times[i] + config.min_scene_s, side="right")))
    own = [_rms(tinies[k - 1], tinies[k]) for k in range(lo, hi) if k != i]
    return bool(own) and _rms(tinies[i - 1], tinies[i]) <= config.cut_refresh_max_ratio * float(
        np.median(own)
    )


def _flash_back(
    times: np.ndarray, tinies: list[np.ndarray], i: int, j: int, config: BoundaryConfig
) -> bool:
    """Frame `j` shows the picture from before the jump into frame `i` again: a content score
    under flash_max_score, or, in a moving shot, under flash_motion_ratio x the shot's own
    change over as long a gap before the jump and under flash_jump_ratio x the jump (dev set,
    seed 1: a flash in a shot moving 16.2 in 0.16 s, back to 14.6 from the jump's 68.9; a cut
    changes about as much as its jump)."""
    before = tinies[i - 1]
    back = _content(before, tinies[j])
    if back < config.flash_max_score:
        return True
    if config.flash_motion_ratio <= 0:
        return False
    # The frame as long before the jump as j is after it (not farther: the gap may be shorter).
    k = int(np.searchsorted(times, 2 * times[i - 1] - times[j] - 1e-6))
    if k >= i - 1:
        return False
    own = _content(tinies[k], before)
    jump = _content(before, tinies[i])
    return back < config.flash_motion_ratio * own and back < config.flash_jump_ratio * jump


def _whip(tinies: list[np.ndarray], i: int, config: BoundaryConfig) -> bool:
    """The jump into frame `i` is a whip pan seen through sparse reference frames: one step
    that dwarfs the steps beside it (a slide seen at its steepest step has a run of them:
    `suspicious_cut`), the frame after the one before shifted by up to half the thumbnail,
    within cut_whip_moved of the step (along one axis)."""
    if config.cut_whip_moved <= 0 or suspicious_cut(tinies, i):
        return False
    # Along one axis (a pan, a tilt), up to a tenth across it: 0.4x the cost of half both ways.
    a, b = tinies[i - 1], tinies[i]
    limit = config.cut_whip_moved * _rms(a, b)
    return _shifted_rms(a, b, 0.5, 0.1) < limit or _shifted_rms(a, b, 0.1, 0.5) < limit


def _one_axis_shift(a: np.ndarray, b: np.ndarray) -> tuple[int, int, float]:
    """(dx, dy, RMS) of the best match of thumbnail `b` to `a` shifted along one axis by up to
    half the thumbnail: `a[:, dx:]` is `b[:, :-dx]` (the picture moved left by dx)."""
    height, width = a.shape[:2]
    a, b = a.astype(np.float32), b.astype(np.float32)
    best = (0, 0, _rms(a, b))
    for dx, dy in [(d, 0) for d in range(-(width // 2), width // 2 + 1) if d] + [
        (0, d) for d in range(-(height // 2), height // 2 + 1) if d
    ]:
        moved = _rms(*_overlap(a, b, dx, dy))
        if moved < best[2]:
            best = (dx, dy, moved)
    return best


def _pan(
    times: np.ndarray,
    tinies: list[np.ndarray],
    i: int,
    config: BoundaryConfig,
    moves: dict[int, tuple[int, int] | None] | None = None,
) -> tuple[int, int] | None:
    """(last frame before, last frame of) the fast pan or tilt the step into frame `i` is part
    of, or None: the run of steps around it (within gradual_window_s, one step at a time off
    it allowed: the shot's own motion on top), of at least pan_min_s, larger than noise, each
    the frame before shifted along one axis within pan_moved of the step, all one way; and the
    picture after the run continues the one before past the side the motion uncovers (their
    joining columns or rows differ under pan_seam times the neighbouring ones do). A slide
    moves its shots as a pan does, but joins two pictures at a seam. `moves` keeps the steps'
    shifts between calls."""
    if config.pan_seam <= 0 or not 0 < i < len(tinies):
        return None
    moves = {} if moves is None else moves

    def move(k: int) -> tuple[int, int] | None:
        if k not in moves:
            step = _rms(tinies[k - 1], tinies[k])
            moves[k] = None
            if step >= 2 * config.gradual_noise:
                dx, dy, moved = _one_axis_shift(tinies[k - 1], tinies[k])
                moves[k] = (dx, dy) if moved <= config.pan_moved * step else None
        return moves[k]

    if move(i) is None:
        return None
    ends = []
    for direction in (-1, 1):
        k, last = i, i
        while 0 < k + direction < len(tinies) and (
            abs(times[k + direction] - times[i]) <= config.gradual_window_s
        ):
            k += direction
            if move(k) is not None:
                last = k
            elif abs(k - last) > 1:
                break
        ends.append(last)
    first, last = ends
    if times[last] - times[first - 1] < config.pan_min_s:
        return None  # a step or two: a whip (`_whip`) or a wipe's edge
    shifts = np.array([moves[k] for k in range(first, last + 1) if moves[k] is not None])
    axis = 0 if np.abs(shifts[:, 0]).sum() >= np.abs(shifts[:, 1]).sum() else 1
    sign = np.sign(shifts[:, axis])
    way = 1 if sign.sum() >= 0 else -1
    if np.count_nonzero(sign == way) < len(shifts) - 1:
        return None  # to and fro: a shake, not a pan
    # A move over more than pan_whip_widths of the picture is a whip: a slide pushes a shot one
    # width, no farther. Its pictures either side do not join (the part passed lies between),
    # so every step inside the run must move the whole picture (`_moves_whole`: a soft wipe
    # into a smooth picture matched shifted as a whole while a part of it stood still).
    size = tinies[i].shape[1 - axis]
    if (
        config.pan_whip_widths > 0
        and abs(int(shifts[:, axis].sum())) >= config.pan_whip_widths * size
        and all(
            _moves_whole(tinies[k - 1], tinies[k], moves[k], config)
            for k in range(first + 1, last)
            if moves[k] is not None
        )
    ):
        return first - 1, last
    # The pictures gradual_window_s out from the run: a slide's run may hold only its middle,
    # whose own ends (both part the new shot) join as a pan's do.
    out = config.gradual_window_s

    def picture(k: int) -> np.ndarray:  # a tilt's rows as columns, its moves as a pan's
        p = tinies[k].astype(np.float32)
        return p.transpose(1, 0, 2) if axis == 1 else p

    before = picture(max(0, int(np.searchsorted(times, times[first - 1] - out))))
    after = picture(int(np.searchsorted(times, times[last] + out, side="right")) - 1)
    # The picture moved left (way 1): the new picture lies right of the old one. A film that
    # tilts as the camera pans (wipes set, seed 1108: 7 rows of 18 from 1.25 s before the run to
    # 1.25 s after it, the join at dy 0 27x its neighbours) joins shifted across the move by its
    # own drift: measured from those frames to the run's ends, the run's at their rate, give or
    # take a row. A still picture's is 0, and the join is looked at unshifted only.
    offsets = [0]
    if config.pan_cross_drift:
        drift = _cross_drift(before, picture(first - 1), config) + _cross_drift(
            picture(last), after, config
        )
        total = drift + round(drift / (2 * out) * (times[last] - times[first - 1]))
        offsets = [total - 1, total, total + 1] if total else [0]
    edge_a, edge_b = (before[:, -1:], after[:, :1]) if way > 0 else (before[:, :1], after[:, -1:])
    seam = min(float(np.abs(np.subtract(*_overlap(edge_a, edge_b, 0, d))).mean()) for d in offsets)
    # Against the calmer picture's (a slide from a smooth picture into a busy one); from
    # pan_seam_floor on: a picture alike along the move (colour bars tilted over) has a median
    # of 0 (round-14 set, seed 1201: a tilt's ends joined at 0.43, rows 0.0 and 0.46 apart).
    neighbours = min(
        float(np.median(np.abs(p[:, 1:] - p[:, :-1]).mean(axis=(0, 2)))) for p in (before, after)
    )
    if seam > config.pan_seam * max(neighbours, config.pan_seam_floor):
        return None
    return first - 1, last


def _cross_drift(a: np.ndarray, b: np.ndarray, config: BoundaryConfig) -> int:
    """The rows `b` shows `a`'s picture moved up by (`a[d:]` is `b[:-d]`), up to a quarter of
    the height: where that shift matches within pan_drift_moved of unshifted, the best of
    shifts one row farther too (a best match at the search's end is no drift: a slide's two
    shots matched best 9 rows of 18 apart, the overlap least), and the two differ (RMS from
    2 x gradual_noise); else 0."""
    unshifted = _rms(a, b)
    if unshifted < 2 * config.gradual_noise:
        return 0
    reach = a.shape[0] // 4
    moved, d = min((_rms(*_overlap(a, b, 0, d)), d) for d in range(-reach - 1, reach + 2))
    return d if abs(d) <= reach and moved <= config.pan_drift_moved * unshifted else 0


def _moves_whole(
    a: np.ndarray, b: np.ndarray, shift: tuple[int, int], config: BoundaryConfig
) -> bool:
    """Thumbnail `b` is `a` moved by `shift` (dx, dy) in each third of their overlap along the
    move: where a third changed (RMS from gradual_noise), shifted it matches within pan_moved
    of unshifted. A camera move moves every part; a wipe leaves the parts its edge is not
    crossing as they were (edge set, seed 28: a soft wipe into a radial gradient, 0.5 s,
    matched 5-9 columns a step as a whole, a third of it 9.4 shifted against 4.0 still)."""
    a, b = a.astype(np.float32), b.astype(np.float32)
    d = shift[0]
    if shift[1]:  # a tilt: rows, as columns in a pan
        a, b, d = a.transpose(1, 0, 2), b.transpose(1, 0, 2), shift[1]
    part_a, moved = _overlap(a, b, d, 0)
    still = _overlap(b, a, d, 0)[0]  # b where a's part lies
    m = part_a.shape[1]
    for lo, hi in ((0, m // 3), (m // 3, 2 * m // 3), (2 * m // 3, m)):
        if hi <= lo:
            continue
        unmoved = _rms(part_a[:, lo:hi], still[:, lo:hi])
        if unmoved >= config.gradual_noise and (
            _rms(part_a[:, lo:hi], moved[:, lo:hi]) > config.pan_moved * unmoved
        ):
            return False
    return True


def _pan_within(
    times: np.ndarray, tinies: list[np.ndarray], a: int, b: int, near: int, config: BoundaryConfig
) -> tuple[int, int] | None:
    """The first fast pan or tilt (`_pan`) found at a step between frames `a` and `b`, looked
    for from frame `near` outwards at every other step (a run of pan_min_s holds several)."""
    moves: dict[int, tuple[int, int] | None] = {}
    for k in sorted(range(a + 1, b + 1, 2), key=lambda k: abs(k - near)):
        pan = _pan(times, tinies, k, config, moves)
        if pan is not None:
            return pan
    return None


def _burst_motion(
    times: np.ndarray, tinies: list[np.ndarray], i: int, window_s: float, ratio: float
) -> bool:
    """The last jump `i` of a burst of high content scores is the shot's own motion going on,
    not a cut: its thumbnail step is under `ratio` times the median step over the `window_s`
    before it (a cut changes the whole picture in one step, more than the burst's motion did
    per step)."""
    if ratio <= 0:
        return False
    first = int(np.searchsorted(times, times[i] - window_s))
    steps = [_rms(tinies[k - 1], tinies[k]) for k in range(max(1, first), i)]
    return bool(steps) and _rms(tinies[i - 1], tinies[i]) < ratio * float(np.median(steps))


def _content(a: np.ndarray, b: np.ndarray) -> float:
    """The content score (mean absolute HSV difference) of two thumbnails."""
    import cv2

    ha, hb = cv2.cvtColor(a, cv2.COLOR_BGR2HSV), cv2.cvtColor(b, cv2.COLOR_BGR2HSV)
    h, s, v, _ = cv2.mean(cv2.absdiff(ha, hb))
    return (h + s + v) / 3.0


def _different_shots(hists, tinies, i: int, j: int, config: BoundaryConfig) -> bool:
    """Different colours and structure; or colours that differ so much (an other palette, not
    a brightness change) that a similar layout does not make it the same shot; or colours a
    little apart and no structure in common."""
    hist = float(hist_distance(hists[i], hists[j]))
    ncc = _ncc(tinies[i], tinies[j], config)
    if hist >= config.gradual_strong_hist:
        return ncc <= config.gradual_strong_max_ncc
    if hist < config.gradual_min_hist:  # colours a little apart: only with no shared structure
        if hist >= config.gradual_weak_hist:
            return ncc <= config.gradual_weak_max_ncc
        # Closer still (two test patterns of one palette): only with structure that neither
        # correlates nor anti-correlates (unrelated pictures correlate about 0; a strongly
        # negative correlation is a shifted periodic structure, a pan over one pattern).
        return hist >= config.gradual_weakest_hist and abs(ncc) <= config.gradual_weak_max_ncc
    return ncc <= config.gradual_max_ncc


def _flash_out(times: np.ndarray, a: int, b: int, config: BoundaryConfig) -> tuple[int, int]:
    """The frames flash_s before `a` and after `b` (within the video)."""
    a2 = max(0, int(np.searchsorted(times, times[a] - config.flash_s)))
    b2 = min(len(times) - 1, int(np.searchsorted(times, times[b] + config.flash_s)))
    return a2, b2


def _apart_around(times, hists, tinies, a: int, b: int, config: BoundaryConfig) -> bool:
    """Frames `a` and `b` are different shots, and so are the frames flash_s farther out (a
    flash or dip at an end is not a change of shot)."""
    a2, b2 = _flash_out(times, a, b, config)
    return _different_shots(hists, tinies, a, b, config) and _different_shots(
        hists, tinies, a2, b2, config
    )


def _came_back(
    times: np.ndarray, tinies: list[np.ndarray], last_a: int, first_b: int, config: BoundaryConfig
) -> bool:
    """The clean frames either side of a gradual span, more than one analysed frame apart, are
    one picture: a content score under flash_max_score and structure correlating from
    gradual_max_ncc. Whatever passed between (a tilt away and back, something crossing) left
    the shot as it was; a transition's sides are two shots. A span of one analysed step is a
    change between sparse frames, for the refinement to widen: one picture only where its two
    frames differ by a content score under gradual_seed_min_content (nothing changed there),
    or where its step is a flash's: a jump as large as a hard cut's (content from `threshold`)
    after which a frame within flash_s is the picture before it again (content under
    flash_max_score), as a hard cut's flash is judged (round-20 set, seed 2003: a lag
    reaching from a fade through grey to a double flash's first white frame, its span the
    step into the white, content 49.2 and back to 4.0, a false boundary; a slow dissolve's
    small step, 4.3, comes back by its size alone)."""
    a, b = tinies[last_a], tinies[first_b]
    if first_b - last_a <= 1:
        step = _content(a, b)
        end = int(np.searchsorted(times, times[first_b] + config.flash_s, side="right"))
        return step < config.gradual_seed_min_content or (
            step >= config.threshold
            and any(
                _content(a, tinies[j]) < config.flash_max_score
                for j in range(first_b + 1, min(end, len(tinies)))
            )
        )
    return _content(a, b) < config.flash_max_score and _ncc(a, b, config) >= config.gradual_max_ncc


def _dropped_by_anchors(
    times: np.ndarray,
    hists: np.ndarray,
    tinies: list[np.ndarray],
    spans: list[tuple[int, int]],
    anchors: list[tuple[int, int]],
    first: int,
    config: BoundaryConfig,
) -> set[int]:
    """The spans from lag peaks (`spans[first:len(anchors)]`, lag ends `anchors`) whose lag
    ends both lie inside other spans, and whose ends moved out to those spans' clean frames
    (the nearest towards the peak) are one shot: the peak measured two other transitions'
    frames, no change of its own (round 16: shots of 3-5 s, transitions of up to 2 s, a lag
    of 2.5 s; the ends of a moving shot's false peak differ, and its span, the whole window,
    chained its neighbours into one). An other span's end that is its own lag end is no clean
    frame (its scan found none). Narrowest spans first; a dropped span bounds no other. Only
    peaks whose two ends both moved: with one end its own, a span may be the edge of a change
    no peak of its own shows (round 16: a fade through greys)."""
    ends = [*anchors, *[(-1, len(times)) for _ in spans[len(anchors) :]]]
    dropped: set[int] = set()
    width = [times[b] - times[a] for a, b in spans]
    for k in sorted(range(first, len(anchors)), key=lambda k: width[k]):
        p, q = anchors[k]
        a, b = spans[k]
        others = [(spans[j], ends[j]) for j in range(len(spans)) if j != k and j not in dropped]
        p2 = max(
            (sb for (sa, sb), (_, own) in others if sa < p < sb < b and sb != own), default=None
        )
        q2 = min(
            (sa for (sa, sb), (own, _) in others if a < sa < q < sb and sa != own), default=None
        )
        # Ends nearer than a lag's may both be one slow transition's frames (a pixelized
        # dissolve between two spans that each took in one of its ends).
        if p2 is None or q2 is None or times[q2] - times[p2] < 2 * config.gradual_window_s:
            continue
        if not _apart_around(times, hists, tinies, p2, q2, config):
            dropped.add(k)
    return dropped


def _camera_moved(a: np.ndarray, b: np.ndarray, cover: float) -> tuple[float, float, float]:
    """How thumbnail `b` differs from `a` moved by the camera: (RMS over the part of `b` that
    `a` covers, RMS over the rest, where the moved `a`'s border is repeated; the motion in
    pixels) for the warp (a whole-pixel shift of up to a quarter of the picture, then the
    zoom and shift `_zoom_step` fits from it) covering at least `cover` of `b` that leaves the
    least inside; (inf, 0, 0) where none does."""
    import cv2

    grey_a = cv2.cvtColor(a, cv2.COLOR_BGR2GRAY).astype(np.float32)
    grey_b = cv2.cvtColor(b, cv2.COLOR_BGR2GRAY).astype(np.float32)
    height, width = grey_a.shape
    best = (0, 0, _rms(grey_a, grey_b))
    for dy in range(-(height // 4), height // 4 + 1):
        for dx in range(-(width // 4), width // 4 + 1):
            if dx or dy:
                moved = _rms(*_overlap(grey_a, grey_b, dx, dy))
                if moved < best[2]:
                    best = (dx, dy, moved)
    dx, dy, _ = best
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    warps = [(1.0, float(dx), float(dy))]  # (scale about the centre, shift)
    shifted = cv2.warpAffine(
        grey_a,
        np.array([[1, 0, dx], [0, 1, dy]], np.float32),
        (width, height),
        flags=flags,
        borderMode=cv2.BORDER_REPLICATE,
    )
    step = _zoom_step(shifted, grey_b)
    if step is not None and abs(step[0] - 1) <= 0.3 and max(abs(step[1]), abs(step[2])) <= 2:
        warps.append((step[0], step[1] + dx, step[2] + dy))
    cx, cy = (width - 1) / 2, (height - 1) / 2
    ones = np.ones((height, width), np.float32)
    found = (math.inf, 0.0, 0.0)
    for scale, sx, sy in warps:
        warp = np.array(
            [[scale, 0, cx * (1 - scale) + sx], [0, scale, cy * (1 - scale) + sy]], np.float32
        )
        inside = cv2.warpAffine(ones, warp, (width, height), flags=flags) > 0.99
        if inside.mean() < cover:
            continue
        warped = cv2.warpAffine(
            a, warp, (width, height), flags=flags, borderMode=cv2.BORDER_REPLICATE
        )
        d = warped.astype(np.float32) - b.astype(np.float32)
        d = (d * d).mean(-1)
        within = float(np.sqrt(d[inside].mean()))
        if within < found[0]:
            rest = float(np.sqrt(d[~inside].mean())) if not inside.all() else 0.0
            motion = max(abs(sx), abs(sy), abs(scale - 1) * width / 2)
            found = (within, rest, motion)
    return found


def _transition_span(
    times: np.ndarray,
    hists: np.ndarray,
    tinies: list[np.ndarray],
    p: int,
    q: int,
    config: BoundaryConfig,
    cuts: list[int],
    lookback_s: float = math.inf,
    nearer_back: bool = False,
) -> tuple[int, int]:
    """(last clean frame of the old shot, first clean frame of the new one) between p and q.

    A frame `dt` after `p` is still the old shot while, on each of three measures (thumbnail
    RMS, mean colour, histogram), it is no farther from `p` than a noise floor plus
    `gradual_drift` times how far the old shot itself moved over the `dt` before `p`.
    Likewise backwards from `q`. The shot's own motion is measured over at most `lookback_s`
    (farther out, no allowance).
    """
    means = [t.reshape(-1, 3).mean(0) for t in tinies[max(0, p - 1) : q + 2]]
    base = max(0, p - 1)

    def mean_of(i: int) -> np.ndarray:
        if base <= i < base + len(means):
            return means[i - base]
        return tinies[i].reshape(-1, 3).mean(0)

    def distances(a: int, b: int) -> np.ndarray:
        return np.array(
            [
                _rms(tinies[a], tinies[b]),
                float(np.abs(mean_of(a) - mean_of(b)).max()),
                float(hist_distance(hists[a], hists[b])),
            ]
        )

    floor = np.array([max(config.gradual_noise, 0.04 * _rms(tinies[p], tinies[q])), 1.5, 0.04])
    shot_starts = np.array(sorted({0, *cuts}))

    def scan(anchor: int, stop: int, direction: int, other: int, moving: bool = False) -> int:
        """The last frame from `anchor` towards `stop` that is still the anchor's shot (and,
        forwards from a steady anchor of the old shot, nearer to it than to the `other` shot's
        clean frame: a shot's own motion allows much drift, but a frame that is more the new
        shot than the old is a transition's. Backwards only with `nearer_back`: the new shot's
        clean frame may lie past a shot between two transitions that a plateau of lags took in
        as one, whose frames are nearer the old shot's than the new one's)."""
        # How far the shot moved from the anchor over the time before it (within its hard-cut
        # bounds), as a running maximum by lag: the allowance for the frames after it.
        shot = int(np.searchsorted(shot_starts, anchor, side="right")) - 1
        first = int(shot_starts[shot])
        last = int(shot_starts[shot + 1]) - 1 if shot + 1 < len(shot_starts) else len(times) - 1
        span_s = min(abs(times[stop] - times[anchor]) + 0.2, lookback_s)
        lags, seen = [], []
        j = anchor - direction
        while first <= j <= last and abs(times[j] - times[anchor]) <= span_s:
            lags.append(abs(times[j] - times[anchor]))
            seen.append(distances(anchor, j))
            j -= direction
        lags_arr, seen_arr = np.array(lags), np.array(seen).reshape(-1, 3)
        # The nearer-shot test needs an anchor that is its shot's (not a flash frame: one far
        # from the frame flash_s beside it, away from the change).
        outer_s = times[anchor] - direction * config.flash_s
        outer = (
            int(np.searchsorted(times, outer_s))
            if direction < 0
            else (int(np.searchsorted(times, outer_s, side="right")) - 1)
        )
        steady = (direction > 0 or nearer_back) and (
            not 0 <= outer < len(tinies)
            or _rms(tinies[anchor], tinies[outer])
            <= max(2 * config.gradual_noise, 0.25 * _rms(tinies[p], tinies[q]))
        )
        moved: dict[int, tuple[float, float, float]] = {}  # `_camera_moved` from the anchor
        change = _rms(tinies[p], tinies[q])

        def still_moved(m: int) -> bool:
            """Frame `m` (in the anchor's shot) is the anchor's picture moved by the camera:
            a warp of it by gradual_moved_min_px or more leaves within gradual_noise or
            gradual_moved_share of the change between the lag's ends where it covers the
            frame, and within gradual_moved_rest of that change where it does not (a wipe's
            edge or a slide's new shot hidden past the border is no picture moved in)."""
            if not moving or not first <= m <= last:
                return False
            if m not in moved:
                moved[m] = _camera_moved(tinies[anchor], tinies[m], config.gradual_moved_cover)
            within, rest, motion = moved[m]
            return (
                motion >= config.gradual_moved_min_px
                and within <= max(config.gradual_noise, config.gradual_moved_share * change)
                and rest <= config.gradual_moved_rest * change
            )

        clean_end = anchor
        m = anchor + direction
        while m != stop:
            # The shot's own change over about the same time before the anchor (its mirror).
            dt = abs(times[m] - times[anchor])
            near = np.abs(lags_arr - dt) <= 0.15
            own = seen_arr[near].max(0) if near.any() else np.zeros(3)
            apart = distances(anchor, m)
            allowed = floor + config.gradual_drift * own
            if (np.all(apart <= allowed) or still_moved(m)) and (
                not steady or _rms(tinies[m], tinies[anchor]) <= _rms(tinies[m], tinies[other])
            ):
                clean_end = m
            elif abs(times[m] - times[clean_end]) > config.flash_s:
                break  # a flash may interrupt a shot for flash_s; longer is not the shot
            m += direction
        return clean_end

    last_a = scan(p, q, 1, q)
    first_b = scan(q, last_a, -1, p)
    if config.gradual_moved_share > 0 and first_b - last_a > 1:
        # Again with the camera's motion undone (a pan that speeds up, a zoom that starts:
        # more change than the shot showed before its anchor, no transition); only a span
        # that still holds a change counts (where these scans meet, the plain ones stand).
        moved_a = scan(p, q, 1, q, moving=True)
        moved_b = scan(q, moved_a, -1, p, moving=True)
        if moved_b - moved_a > 1:
            last_a, first_b = moved_a, moved_b
    if first_b - last_a <= 1:
        return last_a, first_b
    # xfade-style transitions progress linearly: fit the progress (relative distance to the
    # two clean frames) over the clear middle and extend the span towards where it reaches 0
    # and 1, which catches faint first and last frames that motion hides from the scans; by
    # at most gradual_extend_s, as a noisy fit is no licence to cut out the shots around it.
    ms = np.arange(p + 1, q)
    to_p = np.array([_rms(tinies[m], tinies[p]) for m in ms])
    to_q = np.array([_rms(tinies[m], tinies[q]) for m in ms])
    progress = to_p / np.maximum(to_p + to_q, 1e-6)
    middle = (progress >= 0.2) & (progress <= 0.8)
    if middle.sum() >= 3:
        slope, offset = np.polyfit(times[ms[middle]], progress[middle], 1)
        if slope > 0:
            start_s = max(-offset / slope, times[last_a] - config.gradual_extend_s)
            end_s = min((1 - offset) / slope, times[first_b] + config.gradual_extend_s)
            last_a = max(p, min(last_a, int(np.searchsorted(times, start_s)) - 1))
            first_b = min(q, max(first_b, int(np.searchsorted(times, end_s))))
    return last_a, first_b


def find_boundaries(
    features: BoundaryFeatures, frame_s: float, config: BoundaryConfig
) -> list[Boundary]:
    """Hard cuts and gradual transitions among the analysed frames, in time order."""
    times = np.asarray(features.times_s, dtype=np.float64)
    n = len(times)
    if n < 2:
        return []
    scores = np.asarray(features.scores, dtype=np.float32)
    tinies = features.tinies
    sharpness = np.asarray(features.sharpness) if len(features.sharpness) == n else None
    shakes: list[tuple[int, int]] = []  # (first, last jump) of bursts that were no cuts
    cuts = hard_cut_indices(times, scores, tinies, config, shakes, features.hists)
    # A jump inside a fast pan or tilt is the camera moving: no cut, nor a gradual change's
    # jump (it still bounds the lag, as the shots' changes were measured before).
    pan_cuts = {i for i in cuts if _pan(times, tinies, i, config) is not None}
    spans: list[tuple[int, int]] = []  # (last old frame, first new frame) of gradual changes
    missed_cuts: list[int] = []  # hard cuts the content score missed (noisy shots), found here
    fades: list[tuple[int, int]] = []  # spans of fades through a flat picture, at a cut
    no_blurs: list[tuple[int, int]] = []  # fades no camera's blur holds (`fades`, and peaks')
    mixes: list[tuple[int, int]] = []  # spans whose frames are blends of two pictures
    swaps: list[tuple[int, int]] = []  # sharpness dips between two pictures (`_blur_swaps`)
    if config.gradual:
        hists = np.stack(features.hists)
        w = config.gradual_window_s
        lo = np.searchsorted(times, times - w)
        hi = np.minimum(np.searchsorted(times, times + w, side="right") - 1, n - 1)
        # The lag never reaches across a hard cut: each shot is compared with itself.
        starts = np.array([0, *cuts])
        shot = np.searchsorted(starts, np.arange(n), side="right") - 1
        shot_first = starts[shot]
        shot_last = np.append(starts[1:] - 1, n - 1)[shot]
        lo = np.maximum(lo, shot_first)
        hi = np.minimum(hi, shot_last)
        lag = hist_distance(hists[lo], hists[hi])
        # Peaks from gradual_min_hist on; a weaker one (from gradual_weak_hist: a slow blend of
        # two shots of close colours) only away from those that are transitions, where it is no
        # echo of a stronger change (a moving shot next to a transition), and from hard cuts
        # (a jump within a transition is judged with the frames around it, below). A strong
        # peak that is no transition (a flash at a lag's end) hides nothing (edge set: a 1 s
        # wipe between two shots of one film 1.7 s after a flash); nor does a cut whose lag
        # windows do not reach the weak peak's (edge set: a shaky shot's false cut 2.5 s
        # after a wipe).
        valley = config.gradual_peak_valley
        strong = _peaks(times, lag, w, config.gradual_min_hist, valley)
        weak_peaks = [
            c
            for c in _peaks(
                times, lag, w, min(config.gradual_weak_hist, config.gradual_weakest_hist), valley
            )
            if lag[c] < config.gradual_min_hist
        ]
        weak = [
            c
            for c in weak_peaks
            if not any(abs(times[c] - times[s]) <= 2 * w for s in strong)
            and not any(abs(times[c] - times[i]) <= 2 * w for i in cuts)
        ]
        late_weak = [
            c
            for c in weak_peaks
            if c not in weak and not any(abs(times[c] - times[i]) <= w for i in cuts)
        ]
        accepted: list[int] = []  # strong peaks that were transitions (or missed cuts)
        # Hard-edged wipes between shots of one palette: peaks of the thumbnails' RMS over the
        # lag where the histograms hardly differ (no peak above), when the frames between are
        # partitions of the lag's ends.
        wipes: list[int] = []
        plateaus: list[tuple[int, int]] = []  # of the RMS lag around each peak looked at
        slides: dict[int, tuple[int, int]] = {}  # a slide's lag centre: its seam's run
        slide_rows = ThumbRows(tinies)  # the thumbnails' rows, kept for every `_slide` call
        if config.gradual_wipe:
            quiet = lag < min(config.gradual_weak_hist, config.gradual_weakest_hist)
            rms_lag = np.array(
                [
                    _rms(tinies[a], tinies[b]) if ok else 0.0
                    for a, b, ok in zip(lo, hi, quiet, strict=True)
                ]
            )
            for c in _peaks(times, rms_lag, w, config.gradual_wipe_min_rms):
                if any(abs(times[c] - times[s]) <= 2 * w for s in strong + weak):
                    continue
                # The lag's ends are clean shots over a plateau of the RMS (both ends past the
                # change); the middle of it is the change's.
                left = right = c
                while left > 0 and rms_lag[left - 1] >= PLATEAU_SHARE * rms_lag[c]:
                    left -= 1
                while right < n - 1 and rms_lag[right + 1] >= PLATEAU_SHARE * rms_lag[c]:
                    right += 1
                m = (left + right) // 2
                # Two peaks of one plateau (its RMS a little uneven) are one change, not two
                # wipes in a row (wipes set: colour bars into a test chart, found twice 0.04 s
                # apart, then dropped as a picture partitioning itself).
                if any(a <= m <= b for a, b in plateaus):
                    continue
                plateaus.append((left, right))
                if _ncc(tinies[lo[m]], tinies[hi[m]], config) <= config.gradual_max_ncc and (
                    _wipe(times, tinies, int(lo[m]), int(hi[m]), config)
                    or _texture_sweep(times, tinies, sharpness, int(lo[m]), int(hi[m]), config)
                ):
                    wipes.append(m)
                    continue
                # A slide or push: its lag's ends must be clean shots either side of it, and
                # the plateau's middle may lie in its first half (round-17 set, seed 1701: a
                # 1.64 s slide up between two moving Chaplin shots, the RMS lag flat over 3 s):
                # lags centred anywhere within a window of the middle, every other frame.
                for k in sorted(range(int(lo[m]), int(hi[m]) + 1, 2), key=lambda k: abs(k - m)):
                    run = quiet[k] and _slide(
                        times, tinies, int(lo[k]), int(hi[k]), config, slide_rows
                    )
                    # A pan moves its picture as a slide does, but joins no seam (`_pan`).
                    if run and _pan_within(times, tinies, run[0], run[1], k, config) is None:
                        wipes.append(k)
                        slides[k] = run
                        break
            # A picture that keeps partitioning itself (a rotating two-colour pattern, the
            # bench input's `gradients`) is one shot: it passes as wipe after wipe, each within
            # two lag windows of the next; a wipe between two shots stands alone.
            wipes = [
                m for m in wipes if not any(0 < abs(times[m] - times[o]) <= 2 * w for o in wipes)
            ]
        anchors: list[tuple[int, int]] = []  # the lag's ends of each span found from a peak
        centres: list[int] = []  # the peak of each of those spans
        at_cuts: list[tuple[int, int]] = []  # spans found at a cut, not all its lag window
        for c in sorted(wipes):
            p, q = int(lo[c]), int(hi[c])
            last_a, first_b = _transition_span(times, hists, tinies, p, q, config, cuts)
            # A slide's frames are those its seam crossed (the shots' own motion passes the
            # scans from either end into it: round-17 set, seed 1701, a span ending 1 s early).
            if c in slides:
                last_a, first_b = min(last_a, slides[c][0]), max(first_b, slides[c][1])
            spans.append((last_a, max(first_b, last_a + 1)))
            anchors.append((p, q))
            centres.append(c)
        order = [*sorted(strong + weak), *late_weak]
        rest_of: dict[int, int] = {}  # a lag plateau's rest past a span: its middle -> span's end
        for c in order:
            if c in late_weak and any(abs(times[c] - times[s]) <= 2 * w for s in accepted):
                continue
            # The transition lies between the two ends of the lags that stay near the peak.
            left = right = c
            while left > 0 and times[c] - times[left - 1] <= w and lag[left - 1] >= lag[c] / 2:
                left -= 1
            while (
                right < n - 1 and times[right + 1] - times[c] <= w and lag[right + 1] >= lag[c] / 2
            ):
                right += 1
            p, q = int(lo[left]), int(hi[right])
            if c in rest_of:
                # Judged from the clean frame past the span before it, and only as a partition
                # of its lag's ends (a shot drifting on in colour leaves a plateau as well).
                p = max(p, rest_of[c])
                a, b = int(lo[c]), int(hi[c])
                if not (
                    _different_shots(hists, tinies, a, b, config)
                    and (
                        _wipe(times, tinies, a, b, config)
                        or _wipe(times, tinies, a, b, config, median=True)
                    )
                ):
                    continue
            # Within min_scene_s of the first or last frame there is no shot to leave or enter,
            # only a video that starts or ends moving; unless it fades in from (or out to) a
            # flat picture.
            # A second look: the lag may reach back to the first frames only because the
            # first shot is short; compare from min_scene_s in instead.
            if times[p] - times[0] < config.min_scene_s and not _flat(tinies[p]):
                p = int(np.searchsorted(times, times[0] + config.min_scene_s))
                if p >= c or times[c] - times[0] < w:
                    continue
            if times[-1] - times[q] < config.min_scene_s and not _flat(tinies[q]):
                q = int(np.searchsorted(times, times[-1] - config.min_scene_s, side="right")) - 1
                if q <= c or times[-1] - times[c] < w:
                    continue
            # A shake between a lag's end and the peak is its shot's own: its clean frames
            # are those after (before) it, nearer the change (a shot that shakes violently,
            # calms, then fades out was cut out from before its shake).
            for a, b in shakes:
                if p < a and b < c:
                    p = max(p, b)
                if c < a and b < q:
                    q = min(q, int(np.searchsorted(times, times[a] - config.flash_s)) - 1)

            # Frames a little farther out must differ as well: a flash or dip at an end is not
            # a change of shot.
            # (A second look: the peak's own lag ends, when the widened ones fall short.)
            def differ(a: int, b: int) -> bool:
                return _apart_around(times, hists, tinies, a, b, config)

            def far_apart(a: int, b: int) -> bool:
                a2, b2 = _flash_out(times, a, b, config)
                return float(hist_distance(hists[a2], hists[b2])) >= config.gradual_min_hist

            if (
                not differ(p, q)
                and not (p <= lo[c] < hi[c] <= q and differ(lo[c], hi[c]))
                and not (
                    lag[c] >= config.gradual_weak_hist
                    and _slow_blend(times, tinies, int(lo[c]), int(hi[c]), config)
                )
                # A soft wipe between moving shots of close colours (the frames flash_s
                # farther out alike: round-20 set, seed 2004, a vertopen out of grey cells
                # turning into a film craning up): its lag's ends differ, its frames between
                # partitions of them, read by the median (a noise-like shot biases the mean).
                and not (
                    config.gradual_wipe_soft
                    and _different_shots(hists, tinies, int(lo[c]), int(hi[c]), config)
                    and _wipe(times, tinies, int(lo[c]), int(hi[c]), config, median=True)
                )
                # A wipe between colours far apart whose ends' structure correlates by chance
                # (colour bars and a gradient both vary along the rows), or that joins two
                # plain colours (no structure to tell apart): its frames between are
                # partitions of the two. (Not from a weak peak: a zoom into a film passed;
                # nor where a flash at an end makes the colours apart: frames flash_s farther
                # out must differ as much, as `differ` asks.)
                and not (
                    config.gradual_wipe
                    and lag[c] >= config.gradual_min_hist
                    and far_apart(int(lo[c]), int(hi[c]))
                    and _wipe(times, tinies, int(lo[c]), int(hi[c]), config)
                )
            ):
                continue
            # A fast pan or tilt between the lag's ends, the shot the same on either side of
            # it, is the camera moving (the pan's ends differ, joined at no seam).
            # The pan must make the change: where the colours before it (or after it) are
            # already most of the way from one lag end to the other, the "pan" is the last
            # frames of a transition, a wipe's edge crossing a shot that drifts (round-16
            # set, seed 1601: a wipe from a Chaplin shot into a drifting sky, its last 0.6 s
            # taken for a pan, the transition lost and leaked into a kept clip). The change
            # before it is measured from the clean frames after a span already found there
            # (fresh set, seed 304: a lag reaching from mid-fade to black across a pan).
            pan = _pan_within(times, tinies, p, q, c, config)
            if (
                pan is not None
                and p <= pan[0] < pan[1] <= q
                and not differ(p, pan[0])
                and not differ(pan[1], q)
            ):
                a0 = max([p] + [b for _, b in spans if p <= b <= pan[0]])
                b1 = min([q] + [a for a, _ in spans if pan[1] <= a <= q])
                made = max(
                    float(hist_distance(hists[a0], hists[pan[0]])),
                    float(hist_distance(hists[pan[1]], hists[b1])),
                )
                if made <= config.gradual_pan_max_share * float(hist_distance(hists[p], hists[q])):
                    continue
            # The nearer-shot test backwards too where the lag's end is the peak's own (no
            # plateau of lags took in a shot between two transitions).
            back = q == int(hi[c])
            last_a, first_b = _transition_span(
                times, hists, tinies, p, q, config, cuts, nearer_back=back
            )
            # Lags never reach across a cut; a weak peak's (colours a little apart: shots of
            # one film) whose own lag window lies past the cut, reached only through the
            # widened lag, did not measure it: scans meeting there met at no change of the
            # peak's (round-22 set, seed 2202: a soft wipe 0.1 s after a cut was lost).
            weak_apart = config.gradual_weak_past_cut and lag[c] < config.gradual_min_hist
            met_at_cut = any(
                last_a - 1 <= i <= first_b + 1 and not (weak_apart and not lo[c] <= i <= hi[c] + 1)
                for i in cuts
            )
            if first_b - last_a <= 1 and not met_at_cut:
                # The two sides are different shots, yet the scans met away from a hard cut:
                # the shot's own motion, measured past the anchor, took in the next change
                # (another transition) and passed this one for drift. Again, measuring the
                # motion over at most the lag window. Far from the peak that span stands; half
                # as far, or where they met at no change (under a tenth of the change between
                # the lag's ends: a cover or reveal passed for drift, where near the peak they
                # meet at a fast change), only one the lag can measure (up to twice its window:
                # longer takes in a shot between two transitions).
                again = _transition_span(
                    times, hists, tinies, p, q, config, cuts, w + 0.2, nearer_back=back
                )
                met_step = _rms(tinies[last_a], tinies[first_b]) / max(
                    _rms(tinies[p], tinies[q]), 1e-6
                )
                off_peak = abs(times[last_a] - times[c])
                if off_peak > w or (
                    (off_peak > w / 2 or met_step < 0.1)
                    and again[1] - again[0] > first_b - last_a
                    and times[again[1]] - times[again[0]] <= 2 * w + 0.2
                ):
                    last_a, first_b = again
            jump = _dominant_step(times, tinies, last_a, first_b, config)
            if jump is not None:
                missed_cuts.append(jump)
                accepted.append(c)
                continue
            at_cut = any(last_a - 1 <= i <= first_b + 1 for i in cuts)
            if first_b - last_a <= 1 and (at_cut or abs(times[last_a] - times[c]) > w):
                continue  # a hard cut (the content score decides those), or no change here
            # Otherwise a change between two analysed frames near the peak, too small in the
            # content score for a cut (a fast circle or wipe between sparse reference frames):
            # a gradual boundary, which the full-rate refinement widens to the transition.
            spans.append((last_a, max(first_b, last_a + 1)))
            anchors.append((p, q))
            centres.append(c)
            accepted.append(c)
            if config.gradual_plateau_rest:
                rest = _plateau_rest(times, lag, lo, first_b, order, config)
                if rest is not None:
                    order.append(rest)
                    rest_of[rest] = first_b
        # Once all are found: each shot's own motion is measured only up to the neighbouring
        # transitions, where min_scene_s of the shot or more lies between (frames of another
        # transition, with the look-back reaching across them, pass this one's first or last
        # frames for drift: a slow dissolve between a fade and a wipe). With less of the shot
        # there, the frames beyond tell more about its motion than none.
        for k, (p, q) in enumerate(anchors):
            bounds = {*cuts}
            bounds |= {
                b
                for j, (_, b) in enumerate(spans[: len(anchors)])
                if j != k and b <= p and times[p] - times[b] >= config.min_scene_s
            }
            bounds |= {
                a + 1
                for j, (a, _) in enumerate(spans[: len(anchors)])
                if j != k and a >= q and times[a] - times[q] >= config.min_scene_s
            }
            if len(bounds) == len(cuts):
                continue
            last_a, first_b = _transition_span(times, hists, tinies, p, q, config, sorted(bounds))
            old_a, old_b = spans[k]
            spans[k] = (min(old_a, last_a), max(old_b, first_b))
        # A jump inside a gradual change (a wipe's edge, a slide, the dark middle of a fade
        # through black) is that change, not a cut: look at the frames around every cut.
        # A hard cut makes most of the change between the shots in one step; but a jump into
        # or out of a flat picture between two shots that are not flat is the fast end of a
        # short fade through black or white (the fade's other frames step less than the
        # jump, and the shots may differ less from each other than from white): its frames
        # around decide, as for a gradual change (a hard cut to or from a flat shot leaves
        # no span: the flat frames are that shot's own).
        for i in [i for i in cuts if i not in pan_cuts]:
            p, q = int(lo[i - 1]), int(hi[i])
            if not _flat(tinies[p]) and not _flat(tinies[q]):
                ramp = _through_flat_span(times, tinies, i, w, config)
                if ramp is not None:
                    spans.append(ramp)
                    fades.append(ramp)
                    at_cuts.append(ramp)
                    continue
            if _rms(tinies[i - 1], tinies[i]) >= 0.6 * _rms(tinies[p], tinies[q]) and not (
                _still_band(tinies[i - 1], tinies[i], tinies[p], tinies[q], config)
            ):
                continue
            last_a, first_b = _transition_span(times, hists, tinies, p, q, config, cuts)
            if first_b - last_a > 1:
                spans.append((last_a, first_b))
                if last_a != p or first_b != q:
                    at_cuts.append((last_a, first_b))
        # A peak's span over a fade through a flat picture that no cut found: the fade's own
        # ends, not the lag's (round-16 set, seed 1602: a 0.52 s fade through white between
        # moving shots, its peak's span 0.7 s early and 1.7 s late).
        peak_fades: list[int] = []  # peaks whose span was narrowed to a fade's
        rests: list[tuple[int, int]] = []  # what a narrowed span held past the fade, kept
        if config.gradual_flat_fade_peaks:
            for k in range(len(wipes), len(anchors)):
                narrowed = _flat_fade_within(times, hists, tinies, *spans[k], centres[k], config)
                if narrowed is not None:
                    # A scan that found no clean frame up to its lag's end (the new shot never
                    # settled there) may have run into the next transition: the frames from the
                    # fade's clean one to that end stay a span of their own, where the fade's
                    # clean frame and the frame a lag window past that end are different shots
                    # (not a dip in the shot after the fade, nor the video's end).
                    q = anchors[k][1]
                    if (
                        config.gradual_flat_fade_keeps_rest
                        and spans[k][1] == q
                        and narrowed[1] + 1 < q
                        and hi[q] > q
                        and _different_shots(hists, tinies, narrowed[1], int(hi[q]), config)
                    ):
                        rests.append((narrowed[1] + 1, q))
                    spans[k] = narrowed
                    peak_fades.append(k)
        dropped = _dropped_by_anchors(times, hists, tinies, spans, anchors, len(wipes), config)
        # A peak inside a fade through a flat picture is that fade, whose ends its flat frames
        # give: where the shots around it move, the peak's scans find no clean frame and its
        # span ends at the lag's ends (round-17 set, seed 1701: fades through black and white
        # of 0.5-0.8 s, their peaks' spans 0.4-2.3 s wider each side, the fades' own within
        # 0.1 s). So is a peak inside any span found at a cut (its lag window centred on the
        # jump; a scan found a clean frame in it) whose own span has an end at its lag end:
        # that end is the window's, not the change's, and its other end, scanned in the same
        # moving shots, no better (round-15 set, seed 1501: a 1.2 s distance transition's peak
        # span began 0.4 s early, ending at its window; the span at its cut began at it, the
        # refined one 0.44 s early, not 1.1 s).
        if config.gradual_flat_fade_exact:
            dropped |= {k for k, c in enumerate(centres) if any(a <= c <= b for a, b in fades)}
        if config.gradual_cut_span_over_window:
            dropped |= {
                k
                for k, c in enumerate(centres)
                if (spans[k][0] == anchors[k][0] or spans[k][1] == anchors[k][1])
                and any(a <= c <= b for a, b in at_cuts)
            }
        # A peak's span, as found once all are (its scans' clean frames), that went and came back.
        if config.gradual_span_came_back:
            dropped |= {
                k
                for k in range(len(wipes), len(anchors))
                if _came_back(times, tinies, *spans[k], config)
            }
        if config.gradual_defocus_spares_fades:
            no_blurs += fades
        if config.gradual_defocus_spares_peak_fades:
            no_blurs += [spans[k] for k in peak_fades if k not in dropped]
        spans = [s for k, s in enumerate(spans) if k not in dropped] + rests
        # Dissolves the lag missed: the shots' own motion drifts the colours as much, or
        # two near-flat pictures hardly differ (a pixel-by-pixel mix, seen by its grain).
        mixes = _moving_dissolves(times, tinies, hists, cuts, config, strong)
        if config.gradual_mix_not_at_start and not _flat(tinies[0]):
            # As a lag peak there: no shot before it to leave, only the first shot moving.
            mixes = [(a, b) for a, b in mixes if times[a] - times[0] >= w]
        spans += [s for s in mixes if not any(s[0] <= b and a <= s[1] for a, b in spans)]
        if len(features.contrasts) == n and sharpness is not None:
            detail = np.sqrt(sharpness) * np.asarray(features.contrasts)
            spans += [
                s
                for s in _grain_dissolves(times, tinies, detail, cuts, config)
                if not any(s[0] <= b and a <= s[1] for a, b in spans)
            ]
            if config.gradual_swap_max_share is not None:
                # A dip whose sides straddle a found cut is the cut's (edge set, seed 33: a cut
                # 2 s before a shake, the span reached back over it).
                def straddles(span: tuple[int, int]) -> bool:
                    return any(span[0] < c <= span[1] for c in cuts)

                dips = [s for s in _blur_swaps(features, config) if not straddles(s)]
                rows = [s for s in _row_blurs(features, config) if not straddles(s)]
                if config.gradual_swap_lead:
                    rows = [(_fast_lead(times, tinies, a, config), b) for a, b in rows]
                swaps = _merge(dips + rows)
                # With gradual_swap_wins, a row blur's swap takes the place of the spans
                # merged with it: those (a lag peak's or a mix's, of the shots' own motion) may
                # start seconds early and be refined away with it (probe renders, seed 97012:
                # 0.88-3.84 over an hblur at 2.84-4.32). A dip's does not: dips over other
                # transitions won over their better spans (round 16 seed 1604, round 19 seed
                # 1902).
                if config.gradual_swap_wins:
                    won = [
                        (a, b)
                        for a, b in _merge(spans + swaps)
                        if any(a <= s[0] and s[1] <= b for s in rows)
                    ]
                    spans = [(a, b) for a, b in spans if not any(w[0] <= a <= w[1] for w in won)]
                spans += [s for s in swaps if not any(s[0] <= b and a <= s[1] for a, b in spans)]
                no_blurs += swaps
    # A hard cut inside a burst of high content scores (a shot of flickering fine detail, whose
    # every frame scores above the threshold, so the burst gives no cut where it starts), or a
    # jump cut within one scene (its colours alike, the content score half the threshold): one
    # analysed step that dwarfs every other within flash_s around it. Farther off, a burst of
    # the shot's own motion is an event of its own (edge set: a jump cut back 5 s in one Big
    # Buck Bunny scene, a fast move 0.45 s after it, was missed).
    for i in np.flatnonzero(_steps(tinies) >= config.gradual_cut_min_step):
        # As for the content score's cuts: none within min_scene_s of the start or of another.
        if times[i] - times[0] < config.min_scene_s or any(
            abs(times[i] - times[c]) < config.min_scene_s for c in [*cuts, *missed_cuts]
        ):
            continue
        a = int(np.searchsorted(times, times[i] - config.flash_s))
        b = min(n - 1, int(np.searchsorted(times, times[i] + config.flash_s, side="right")) - 1)
        if _dominant_step(times, tinies, max(0, a - 1), b, config) == i and not _whip(
            tinies, int(i), config
        ):
            missed_cuts.append(int(i))
    boundaries = []
    blurs: list[tuple[float, float]] = []  # spans of a camera's own blur: no boundary
    for last_a, first_b in _merge(spans):
        blur = _blurred_span(features, last_a, first_b, config)
        # A fade through white after a fast pan's blur (round-20 set, seed 2004: the span over
        # the pan and a 1.1 s fade, grown over the pan's soft frames, was dropped as a blur
        # with the fade's cut, and the next kept clip held the fade).
        # So is a fade through black whose peak found it, its fade-up into a jerky shot of one
        # palette (round-23 set, seed 2303: 1.9 s out of settled stripes, merged with a cut's
        # span over the fade-up, soft frames for 1.2 s, dropped as a blur with that cut).
        if any(last_a <= a and b <= first_b for a, b in no_blurs):
            blur = None
        # A dissolve whose middle frames are blurred (xfade's hblur; round-21 set, seed 2103:
        # 1.2 s between two moving shots of one film, sharpness down to 0.2 of theirs,
        # contrast 0.44) is a mix of two pictures, which no blur of one camera's picture is.
        if config.gradual_defocus_spares_mixes and any(
            a <= first_b and last_a <= b for a, b in mixes
        ):
            blur = None
        if blur is not None:
            blurs.append((float(times[blur[0]]), float(times[blur[1]])))
            continue
        if config.gradual_swap_exact and (last_a, first_b) in swaps:
            # Sharpness drops at the dip's first frame and is back at its last (round 22-24
            # hblurs: 0.47-0.63 of the side's sharpest on the first, 0.92-1.16 of the after
            # side's on the first clean): from last_a's frame, the transition's first at
            # the earliest, to first_b's.
            start_s, end_s = float(times[last_a]), float(times[first_b])
            boundaries.append(Boundary(BoundaryKind.GRADUAL, start_s, end_s, first_b, True))
            continue
        # One analysed frame of margin each side (frames in between were not all decoded),
        # plus gradual_pad_s for the faint first and last frames of a transition.
        start = max(0, last_a - 1)
        end = min(n - 1, first_b + 1)
        start_s = min(float(times[start] + frame_s), float(times[start + 1])) - config.gradual_pad_s
        end_s = float(times[end]) + config.gradual_pad_s
        index = min(n - 1, int(np.searchsorted(times, end_s - 1e-6)))
        boundaries.append(Boundary(BoundaryKind.GRADUAL, max(0.0, start_s), end_s, index))
    step = float(np.median(np.diff(times)))
    for i in sorted((set(cuts) - pan_cuts) | set(missed_cuts)):
        if any(a < times[i] <= b for a, b in blurs):
            continue  # a jump while the camera's picture was blurred is that blur's
        near = [
            k
            for k, b in enumerate(boundaries)
            if b.start_s - 2 * step <= times[i] <= b.end_s + 2 * step
        ]
        if near:  # a jump at the edge of a transition belongs to it
            b = boundaries[near[0]]
            boundaries[near[0]] = Boundary(
                b.kind,
                min(b.start_s, float(times[i - 1] + frame_s)),
                max(b.end_s, float(times[i])),
                max(b.index, i),
            )
            continue
        start = min(float(times[i - 1] + frame_s), float(times[i]))
        boundaries.append(Boundary(BoundaryKind.CUT, start, float(times[i]), i))
    boundaries.sort(key=lambda b: b.start_s)
    return boundaries


def _camera_blur(
    features: BoundaryFeatures, last_a: int, first_b: int, config: BoundaryConfig
) -> bool:
    """The frames between `last_a` and `first_b` (clean frames of the shots around a gradual
    span) are the camera's own blur of one scene (a focus pull, a whip of the camera): for at
    least `gradual_defocus_min_s` they keep most of the shots' grey contrast but lose most of
    their sharpness, and the shots keep one palette. A fade keeps a frame's sharpness per unit
    of contrast, a blend or wipe of two sharp shots about that of the two. The frames before
    the soft ones (after them) get no sharper than `gradual_defocus_max_rise` times the shot
    before (after): a blur takes detail away, a wipe's edges add it."""
    n = len(features.times_s)
    if (
        config.gradual_defocus_max_sharpness <= 0
        or len(features.sharpness) != n
        or first_b - last_a < 3
        or features.times_s[first_b] - features.times_s[last_a] > config.gradual_defocus_max_s
        or hist_distance(features.hists[last_a], features.hists[first_b]) >= config.gradual_min_hist
    ):
        return False
    times = np.asarray(features.times_s)
    sharp = np.asarray(features.sharpness)
    contrast = np.asarray(features.contrasts)
    before, after = _sides(times, last_a, first_b, config.gradual_defocus_side_s)
    sharp_before, sharp_after = float(np.median(sharp[before])), float(np.median(sharp[after]))
    ref_sharp = min(sharp_before, sharp_after)
    ref_contrast = min(float(np.median(contrast[before])), float(np.median(contrast[after])))
    if ref_contrast < config.gradual_defocus_min_std:
        return False
    inside = np.arange(last_a + 1, first_b)
    lit = inside[contrast[inside] >= config.gradual_defocus_min_contrast * ref_contrast]
    soft = lit[sharp[lit] <= config.gradual_defocus_max_sharpness * ref_sharp]
    if len(soft) == 0 or float(times[soft[-1]] - times[soft[0]]) < config.gradual_defocus_min_s:
        return False
    if config.gradual_defocus_max_rise is not None:
        # Frames sharper than their own side (a wipe's edges): round 26 seed 2602, a slice
        # wipe into a low-detail shot, 21.6x the old shot's before its soft frames; blurs
        # on the development sets at most 2.6x (round 24 seed 2402's focus pull).
        rise = config.gradual_defocus_max_rise
        pre, post = lit[lit < soft[0]], lit[lit > soft[-1]]
        if np.any(sharp[pre] > rise * sharp_before) or np.any(sharp[post] > rise * sharp_after):
            return False
    return True


def _sharpest_before(
    times: np.ndarray, sharp: np.ndarray, side_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per frame, the first of the frames up to `side_s` before it (`_sides`) and the
    sharpest of them (0 for the first frame, which has none)."""
    n = len(times)
    first = np.zeros(n, dtype=np.intp)
    first[1:] = np.searchsorted(times, times[:-1] - side_s)
    peak = np.zeros(n)
    peak[1:] = np.maximum.reduceat(sharp, np.stack([first[1:], np.arange(1, n)], 1).ravel())[::2]
    return first, peak


def _blur_swaps(features: BoundaryFeatures, config: BoundaryConfig) -> list[tuple[int, int]]:
    """Spans of sharpness dips (`_camera_blur`'s soft frames) whose two sides are different
    pictures the camera did not move between: a dissolve through a blur between similar
    shots (round-23 set, seed 2302, and round-22, seed 2202: 0.6 s hblurs, colour histograms
    0.14-0.18 apart throughout, so no lag peak). A defocus or focus pull comes back to its
    picture; a whip reaches a new one by a long path of shifts."""
    times = np.asarray(features.times_s)
    sharp = np.asarray(features.sharpness)
    contrast = np.asarray(features.contrasts)
    n = len(times)
    max_soft, edge = config.gradual_defocus_max_sharpness, config.gradual_swap_edge_sharpness
    spans: list[tuple[int, int]] = []
    # A dip's frame is below max_soft of the sharpest over gradual_defocus_side_s before it.
    first, peak = _sharpest_before(times, sharp, config.gradual_defocus_side_s)
    i = 1
    while i < n:
        if sharp[i] > max_soft * peak[i]:
            i += 1
            continue
        # The side is the shot's frames before the dip set in (below edge of their sharpest): a
        # blur that deepens gradually fills the side_s before its soft frames with its own
        # (round-24 set, seed 2402: a 0.7 s hblur at 0.6 of the side's sharpness at once, 0.35
        # only 0.3 s later; 9-14 of the 13-15 frames before each soft one were the dip's,
        # their median 0.46-0.55 of the side's, and no frame fell below 0.35 of it).
        onset = i  # (stops at the side's sharpest, peak[i], at the latest: onset >= 1)
        while sharp[onset - 1] < edge * peak[i]:
            onset -= 1
        before = slice(first[onset], onset)
        ref_sharp, ref_contrast = (
            float(np.median(sharp[before])),
            float(np.median(contrast[before])),
        )
        if not (
            ref_contrast >= config.gradual_defocus_min_std
            and sharp[i] <= max_soft * ref_sharp
            and contrast[i] >= config.gradual_defocus_min_contrast * ref_contrast
        ):
            i += 1
            continue
        j = i
        while (
            j + 1 < n
            and sharp[j + 1] <= max_soft * ref_sharp
            and times[j + 1] - times[i - 1] <= config.gradual_defocus_max_s
        ):
            j += 1
        a, b = i - 1, j + 1
        if b < n and times[j] - times[i] >= config.gradual_defocus_min_s:
            while (
                a > 0
                and sharp[a] < edge * ref_sharp
                and times[b] - times[a - 1] <= config.gradual_defocus_max_s
            ):
                a -= 1
            _, after = _sides(times, a, b, config.gradual_defocus_side_s)
            ref_after = float(np.median(sharp[after]))
            while (
                b + 1 < n
                and sharp[b] < edge * ref_after
                and times[b + 1] - times[a] <= config.gradual_defocus_max_s
            ):
                b += 1
            if _swapped(features.tinies, a, b, config):
                spans.append((a, b))
        i = j + 1
    return spans


def _fast_lead(times: np.ndarray, tinies: list[np.ndarray], a: int, config: BoundaryConfig) -> int:
    """The clean frame before a row blur whose clean frame before is `a`, moved back over
    the analysed frames just before it that each step by more than a transition's step
    (`_step_limit` over the shot's own, the steps up to refine_max_extend_s before `a`), up to
    refine_max_extend_s: a slide or push moves the old picture before the soft new one blurs
    the rows (round-28 set, seed 2802: a parallax slide at 19.12-20.19 s into a soft shot, its
    rows blurred from 19.73 s, the analysed steps 9-19 from 19.15 s against the shot's 2-4;
    the kept clip before ran 0.5 s into it). Only the thumbnails of that second are read."""
    first = int(np.searchsorted(times, times[a] - config.refine_max_extend_s))
    if a - first < 4:
        return a
    lo = max(1, first)
    # step[k - lo]: frame k's change from the one before
    step = np.array([_rms(tinies[k - 1], tinies[k]) for k in range(lo, a + 1)])
    limit = _step_limit(_shot_step(step[::-1]), config)
    m = a
    while m > first + 1 and step[m - lo] > limit:
        m -= 1
    return m


def _row_blurs(features: BoundaryFeatures, config: BoundaryConfig) -> list[tuple[int, int]]:
    """Spans of sharpness dips (to gradual_hblur_max_sharpness of the sharpest frame over
    gradual_defocus_side_s before) whose frames lose their detail across the picture far more
    than down it: xfade's hblur averages each row over up to half the width while it mixes
    the shots (probe renders of hblurs of 0.5-2 s between moving shots of rounds 22-24: 6 of
    the 10 between similar shots were no `_blur_swaps`: too shallow a dip, soft footage, or
    shots too alike). A defocus or a fade loses both ways alike. The row-blurred frames
    (`_row_blurred`) are grown to where sharpness is back to gradual_swap_edge_sharpness of
    each side's. Only a dip's frames and its sides are read."""
    if config.gradual_hblur_max_sharpness is None:
        return []
    times = np.asarray(features.times_s)
    sharp = np.asarray(features.sharpness)
    n = len(times)
    level, edge = config.gradual_hblur_max_sharpness, config.gradual_swap_edge_sharpness
    side_s, max_s = config.gradual_defocus_side_s, config.gradual_defocus_max_s
    _, peak = _sharpest_before(times, sharp, side_s)
    spans: list[tuple[int, int]] = []
    rows = _RowRatios(features)  # read at the dips' windows only
    i = 1
    while i < n:
        if sharp[i] > level * peak[i]:
            i += 1
            continue
        run = _row_blurred(features, i, config, rows)
        if run is None:
            i += 1
            continue
        a, b = run
        while a > 0 and sharp[a] < edge * peak[i] and times[b] - times[a - 1] <= max_s:
            a -= 1
        while b + 1 < n and times[b + 1] - times[a] <= max_s:
            _, after = _sides(times, b, b, side_s)
            if sharp[b] >= edge * float(np.median(sharp[after])):
                break
            b += 1
        # deep at its deepest against where it set in, and closed within max_s (a dip that
        # runs on is a shot's own softness, not a change)
        deep = float(sharp[a + 1 : b].min()) <= level * float(sharp[a])
        if not (
            deep
            and times[b] - times[a] < max_s
            and _rows_blurred_between(features, a, b, config, rows)
        ):
            i = b + 1
            continue
        # ... and to where the rows are back (into a soft shot sharpness is back first: round
        # 15 seed 1503, 35.76 s, across over down 0.24 of the side's, the hblur's end 36.0),
        # and one analysed frame more where they moved it (the faint last frames).
        first_a, first_b = a, b
        while b + 1 < n and times[b + 1] - times[a] <= max_s:
            _, after = _sides(times, b, b, side_s)
            if rows(b) >= config.gradual_hblur_edge * rows.median(after):
                break
            b += 1
        while a > 0 and times[b] - times[a - 1] <= max_s:
            before, _ = _sides(times, a, a, side_s)
            if rows(a) >= config.gradual_hblur_edge * rows.median(before):
                break
            a -= 1
        a, b = max(0, a - (a < first_a)), min(n - 1, b + (b > first_b))
        spans.append((a, b))
        i = b + 1
    return spans


class _RowRatios:
    """Per analysed frame, read once when first asked for: the grey thumbnail's gradient
    energy across the picture and down it, and the one over the other."""

    def __init__(self, features: BoundaryFeatures):
        self.tinies = features.tinies
        self.across = np.full(len(self.tinies), np.nan)
        self.down = np.full(len(self.tinies), np.nan)

    def energies(self, frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        frames = np.asarray(frames, dtype=np.intp)
        new = frames[np.isnan(self.down[frames])]
        if len(new):
            grey = np.stack([self.tinies[k].astype(np.float32).mean(-1) for k in new])
            self.across[new] = (np.diff(grey, axis=2) ** 2).mean((1, 2))
            self.down[new] = (np.diff(grey, axis=1) ** 2).mean((1, 2))
        return self.across[frames], self.down[frames]

    def ratios(self, frames: np.ndarray) -> np.ndarray:
        across, down = self.energies(frames)
        return across / np.maximum(down, 1e-6)

    def __call__(self, k: int) -> float:
        return float(self.ratios(np.array([k]))[0])

    def median(self, mask: np.ndarray) -> float:
        return float(np.median(self.ratios(np.flatnonzero(mask))))


def _rows_blurred_between(
    features: BoundaryFeatures, a: int, b: int, config: BoundaryConfig, rows: _RowRatios
) -> bool:
    """As `_row_blurred`, against both sides of the span (`a`, `b`): the frames between
    have the row-blurred run, below the lower side's ratio, and both sides have detail."""
    times = np.asarray(features.times_s)
    before, after = _sides(times, a, b, config.gradual_defocus_side_s)
    inside = np.arange(a + 1, b)
    if len(inside) == 0 or before.sum() < 3 or after.sum() < 3:
        return False
    parts = [np.flatnonzero(before), np.flatnonzero(after), inside]
    ratios, downs = [], []
    for part in parts:
        across, down = rows.energies(part)
        ratios.append(across / np.maximum(down, 1e-6))
        downs.append(down)
    detail = min(float(np.median(downs[0])), float(np.median(downs[1])))
    if not (
        detail >= config.gradual_hblur_min_detail
        and config.gradual_hblur_min_down * detail
        <= downs[2].min()
        <= config.gradual_hblur_max_down * detail
    ):
        return False
    # the blur widens to the middle and narrows again: across over down rises from its lowest
    # frame to gradual_hblur_min_rise times it on both sides (a shot's own soft picture holds)
    deepest = int(np.argmin(ratios[2]))
    lowest = float(ratios[2][deepest]) * config.gradual_hblur_min_rise
    if ratios[2][: deepest + 1].max() < lowest or ratios[2][deepest:].max() < lowest:
        return False
    base = min(float(np.median(ratios[0])), float(np.median(ratios[1])))
    flat = inside[ratios[2] <= config.gradual_hblur_max_aniso * base]
    return (
        len(flat) > 0
        and config.gradual_hblur_min_s
        <= float(times[flat[-1]] - times[flat[0]])
        <= config.gradual_hblur_max_s
    )


def _row_blurred(
    features: BoundaryFeatures, i: int, config: BoundaryConfig, rows: _RowRatios
) -> tuple[int, int] | None:
    """The frames from `i` on (up to gradual_defocus_max_s) whose grey thumbnails' gradient
    energy across the picture over that down it is at most gradual_hblur_max_aniso of the
    frames' over gradual_defocus_side_s before `i`, as (the frame before the first, the
    frame after the last), where they last gradual_hblur_min_s and the frames before have
    gradual_hblur_min_detail down (a flat picture's is its noise's); else None."""
    times = np.asarray(features.times_s)
    start = int(np.searchsorted(times, times[i] - config.gradual_defocus_side_s))
    end = int(np.searchsorted(times, times[i] + config.gradual_defocus_max_s, side="right"))
    if i - start < 3:
        return None
    # the frames before first: a flat side (most dips' in soft footage) reads no further
    if float(np.median(rows.energies(np.arange(start, i))[1])) < config.gradual_hblur_min_detail:
        return None
    across, down = rows.energies(np.arange(start, end))
    ratio = across / np.maximum(down, 1e-6)
    side = i - start
    low = ratio[side:] <= config.gradual_hblur_max_aniso * float(np.median(ratio[:side]))
    if not low.any():
        return None
    # the first run of such frames (one frame off it bridged)
    first = int(np.argmax(low))
    last = first
    while last + 1 < len(low) and (low[last + 1] or (last + 2 < len(low) and low[last + 2])):
        last += 1 + (not low[last + 1])
    a, b = i + first, i + last
    if times[b] - times[a] < config.gradual_hblur_min_s:
        return None
    return a - 1, min(b + 1, len(times) - 1)


def _swapped(tinies: list[np.ndarray], a: int, b: int, config: BoundaryConfig) -> bool:
    """Frames `a` and `b` (around a sharpness dip) are two pictures: their grey thumbnails'
    correlation is a small share of that of frames as far apart beside the dip, and the
    thumbnails' shifts from frame to frame through it add up to a short path."""
    g = b - a
    before = [_ncc(tinies[k], tinies[k + g]) for k in range(max(0, a - g - 6), a - g + 1)]
    after = [_ncc(tinies[k], tinies[k + g]) for k in range(b, min(len(tinies) - g, b + 7))]
    base = min(
        float(np.median(before)) if before else -1.0, float(np.median(after)) if after else -1.0
    )
    if (
        base < config.gradual_swap_min_base
        or _ncc(tinies[a], tinies[b]) > config.gradual_swap_max_share * base
    ):
        return False
    import cv2

    grey = [tinies[k].astype(np.float32).mean(-1) for k in range(a, b + 1)]
    height, width = grey[0].shape
    # each step's shift: where the next thumbnail's middle matches this one best
    reach, rise = max(1, width // 5), max(1, height // 6)
    path = 0
    for here, there in itertools.pairwise(grey):
        middle = there[rise : height - rise, reach : width - reach]
        match = cv2.matchTemplate(here, middle, cv2.TM_CCOEFF_NORMED)
        dy, dx = np.unravel_index(int(np.argmax(match)), match.shape)
        path += abs(int(dx) - reach) + abs(int(dy) - rise)
    return path <= config.gradual_swap_max_path * width


def _sides(
    times: np.ndarray, last_a: int, first_b: int, side_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the frames up to `side_s` before `last_a` (itself included) and after
    `first_b` (itself included): the shots' own frames beside a span."""
    index = np.arange(len(times))
    before = (times >= times[last_a] - side_s) & (index <= last_a)
    after = (times <= times[first_b] + side_s) & (index >= first_b)
    return before, after


def _blurred_span(
    features: BoundaryFeatures, last_a: int, first_b: int, config: BoundaryConfig
) -> tuple[int, int] | None:
    """The span (`last_a`, `first_b`) grown over the camera's own blur (`_camera_blur`), or None
    where it is none. Seen through reference frames only, a focus pull's first soft frames
    make the change and the rest lie past `first_b` (or before `last_a`, for a blur that
    clears): the span is grown over the frames that stay soft against the other side's
    sharpness (letterboxed cockatoo.mp4 with B-frames: a change at 6.85-7.8 s, soft to 8.6 s)."""
    if _camera_blur(features, last_a, first_b, config):
        return last_a, first_b
    n = len(features.times_s)
    if len(features.sharpness) != n or config.gradual_defocus_max_sharpness <= 0:
        return None
    times, sharp = np.asarray(features.times_s), np.asarray(features.sharpness)
    # the other side's sharpness, as `_camera_blur` takes it
    sides = _sides(times, last_a, first_b, config.gradual_defocus_side_s)
    before, after = (float(np.median(sharp[side])) for side in sides)
    soft_before = sharp <= config.gradual_defocus_max_sharpness * before
    soft_after = sharp <= config.gradual_defocus_max_sharpness * after
    # over soft frames, and over one that is not between two that are (a blur's noise)
    b = first_b
    while (
        b + 2 < n
        and (soft_before[b] or soft_before[b + 1])
        and times[b + 1] - times[last_a] <= config.gradual_defocus_max_s
    ):
        b += 1
    a = last_a
    while (
        a - 2 >= 0
        and (soft_after[a] or soft_after[a - 1])
        and times[first_b] - times[a - 1] <= config.gradual_defocus_max_s
    ):
        a -= 1
    for span in ((last_a, b), (a, first_b)):
        if span != (last_a, first_b) and _camera_blur(features, *span, config):
            return span
    return None


def _blend_shares(frames: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray] | None:
    """For each of the frames between the first and the last (flat float32 vectors), its
    share of the change from the first to the last (least squares) and its distance from the
    nearest blend of the two (share clipped to [0, 1]), as a fraction of the change; None
    where the ends hardly differ."""
    first = frames[0]
    change = frames[-1] - first
    norm2 = float(change @ change)
    if norm2 < 1e-6:
        return None
    between = np.stack(frames[1:-1]) - first
    share = between @ change / norm2
    residual = np.linalg.norm(between - np.clip(share, 0, 1)[:, None] * change, axis=1)
    residual /= math.sqrt(norm2)
    return share, residual


def _slow_blend(
    times: np.ndarray, tinies: list[np.ndarray], p: int, q: int, config: BoundaryConfig
) -> bool:
    """A slow dissolve between the frames `p` and `q` of two shots whose colours are a little
    apart and whose structure correlates a little (a blend of two shots of one film): the
    frames between are blends of the two (each within `gradual_blend_max_residual` of the
    change, as a share of it, from the nearest blend) whose share of `q` rises steadily with
    time (correlation at least `gradual_blend_min_trend`) for at least `gradual_blend_min_s`
    of mid-way blends (shares 0.2-0.8). A pan or zoom inside one shot passes through views
    that are no blend of its ends, a dip or flash goes back to where it started."""
    if _ncc(tinies[p], tinies[q], config) > config.gradual_blend_max_ncc or q - p < 4:
        return False
    blend = _blend_shares([tinies[m].astype(np.float32).ravel() for m in range(p, q + 1)])
    if blend is None:
        return False
    share, residual = blend
    middle = (share >= 0.2) & (share <= 0.8)
    if middle.sum() < 3:
        return False
    span_s = float(times[p + 1 : q][middle][-1] - times[p + 1 : q][middle][0])
    trend = float(np.corrcoef(times[p + 1 : q], share)[0, 1])
    return (
        span_s >= config.gradual_blend_min_s
        and trend >= config.gradual_blend_min_trend
        and float(np.median(residual[middle])) <= config.gradual_blend_max_residual
    )


def _moving_dissolves(
    times: np.ndarray,
    tinies: list[np.ndarray],
    hists: np.ndarray,
    cuts: list[int],
    config: BoundaryConfig,
    peaks: Sequence[int] = (),
) -> list[tuple[int, int]]:
    """Short dissolves between two moving shots whose colours hardly differ (their lag under
    every histogram rule: the shots' own motion drifts the colours as much), as (last old,
    first new) analysed frames. A dissolve is a linear mix: a frame in it is a blend of frames
    either side, and two unrelated pictures mixed lose contrast (std^2 = (1-a)^2 sA^2 +
    a^2 sB^2, most mid-way), where a pan or a walk keeps it. Over a window either side of
    each frame (`gradual_mix_windows_s`): the frame is the blend of the window's ends that
    its share of their change gives, to within a residual that the shots' motion leaves (a
    near-exact blend is one picture zooming or brightening smoothly; rounds 16-18 fades
    0.22-0.39, a held-set zoom 0.09-0.10); its contrast is that blend's and dips under the
    ends'; its mean is on their line (no dip to black or flash); the ends are apart as two
    unrelated pictures are (RMS 1-1.9 x their contrast) in colour and structure. A frame
    counts where it passes at two window sizes, or at one whose window holds one of `peaks`
    (lag peaks from gradual_min_hist) with its ends' colours as far apart (they changed as a
    transition's do; a long fade between violently moving shots is a mix only over windows
    reaching into it), and a window never holds a hard cut."""
    n = len(times)
    if not config.gradual_mix_windows_s or n < 8:
        return []
    grey = np.stack([t.astype(np.float32).mean(-1).ravel() for t in tinies])  # as `_ncc`
    coarse = _half_size(grey, tinies[0].shape[:2]) if config.gradual_mix_coarse_max_dip else None
    std = grey.std(axis=1)
    mean = grey.mean(axis=1)
    cut_at = np.zeros(n + 1, dtype=np.int64)
    cut_at[1:] = np.cumsum(np.isin(np.arange(n), cuts))
    hits: dict[float, list[tuple[int, int, int]]] = {}  # window size: (frame, p, q)
    for w in config.gradual_mix_windows_s:
        p = np.searchsorted(times, times - w)
        q = np.minimum(n - 1, np.searchsorted(times, times + w, side="right") - 1)
        along = (times - times[p]) / np.maximum(times[q] - times[p], 1e-6)
        line_std = (1 - along) * std[p] + along * std[q]
        line_mean = (1 - along) * mean[p] + along * mean[q]
        # clean ends inside the video and no cut between them (frame q is a cut's first); the
        # contrast dip and the mean first: they need no pixels (the frames left are few)
        ok = (p >= 1) & (q <= n - 2) & (q - p >= 4) & (cut_at[q + 1] == cut_at[p + 1])
        ok &= std <= config.gradual_mix_max_dip * line_std
        ok &= np.abs(mean - line_mean) <= config.gradual_mix_max_mean_step
        deep = std <= config.gradual_mix_coarse_max_dip * line_std
        frames = np.flatnonzero(ok)
        deep = deep[frames]
        p, q = p[frames], q[frames]
        share, blend, residual, norm2 = _blend_fit(grey[frames], grey[p], grey[q])
        apart = np.sqrt(norm2 / grey.shape[1]) / np.maximum(np.minimum(std[p], std[q]), 1.0)
        # Ends farther apart than two unrelated pictures of close colours: a textured shot and
        # one of low contrast (whose motion leaves no residual), or their levels apart.
        far = (apart > config.gradual_mix_max_apart) & (
            np.maximum(std[p], std[q]) >= config.gradual_mix_far_min_contrast
        )
        ok = (share >= config.gradual_mix_min_share) & (share <= config.gradual_mix_max_share)
        below = residual <= config.gradual_mix_max_residual
        shallow = np.zeros(len(frames), dtype=bool)  # met the ceiling at half size, not deep
        if coarse is not None:
            # Mid-dissolve between two moving shots each mixed as it is then, not as at the
            # window's ends: their fine detail moved, the mix of their coarse picture holds
            # (round-20 set, seed 2001: a 0.64 s dissolve between a pan on a speed ramp and a
            # spiral in, residual 0.39-0.53 at full size, 0.34-0.40 at half; its contrast 0.65-0.79
            # of the ends' line).
            # A shallower dip counts between ends that share no structure (round-27 set, seed
            # 2703: a 1.94 s fade between two moving shots of close colours, contrast 0.82-0.89
            # of the line, ends correlating 0.14-0.33, residual 0.41-0.45 at full size,
            # 0.35-0.40 at half): their correlation is read with the others' below.
            pictures = np.minimum(std[p], std[q]) >= config.gradual_mix_far_min_contrast
            if config.gradual_mix_coarse_max_ncc is None:
                pictures &= deep
            maybe = np.flatnonzero(~below & pictures)
            fit = _blend_fit(coarse[frames[maybe]], coarse[p[maybe]], coarse[q[maybe]])
            below[maybe] = fit[2] <= config.gradual_mix_max_residual
            shallow[maybe] = below[maybe] & ~deep[maybe]
        ok &= ((residual >= config.gradual_mix_min_residual) | far) & below
        ok &= (
            np.abs(std[frames] / np.maximum(blend.std(axis=1), 1e-6) - 1)
            <= config.gradual_mix_contrast_tol
        )
        ok &= (apart >= config.gradual_mix_min_apart) & (
            (apart <= config.gradual_mix_max_apart) | far
        )
        for c, a, b, f, s in zip(frames[ok], p[ok], q[ok], far[ok], shallow[ok], strict=True):
            a, b = int(a), int(b)
            max_ncc = config.gradual_mix_far_max_ncc if f else config.gradual_mix_max_ncc
            if f and 0 < config.gradual_mix_fade_min_step <= abs(mean[a] - mean[b]):
                max_ncc = config.gradual_mix_fade_max_ncc
            if s:
                max_ncc = min(max_ncc, config.gradual_mix_coarse_max_ncc)
            if (
                float(hist_distance(hists[a], hists[b])) >= config.gradual_mix_min_hist
                and _ncc(tinies[a], tinies[b], config) <= max_ncc
            ):
                hits.setdefault(w, []).append((int(c), a, b))
    peaks = peaks if config.gradual_mix_peak_agrees else ()
    agreed = sorted(
        (a, b, w)
        for w, found in hits.items()
        for c, a, b in found
        if any(
            abs(times[c] - times[o]) <= config.gradual_mix_agree_s
            for v, others in hits.items()
            if v != w
            for o, _, _ in others
        )
        or (
            any(a <= k <= b for k in peaks)
            and float(hist_distance(hists[a], hists[b])) >= config.gradual_min_hist
        )
    )
    # Each dissolve's span: the windows of the two smallest sizes that saw it (a larger one
    # agrees too but reaches far into the shots: the round-16 0.52 s fade's 0.9 s windows).
    spans = []
    for lo, hi in _merge([(a, b) for a, b, _ in agreed]):
        seen = [(a, b, w) for a, b, w in agreed if lo <= a and b <= hi]
        sizes = sorted({w for _, _, w in seen})[:2]
        a = min(a for a, _, w in seen if w in sizes)
        b = max(b for _, b, w in seen if w in sizes)
        a, b = _mix_span(grey, a, b, config.gradual_mix_trim_share)
        if not _veil_peak(times, std, a, b, config):
            spans.append((a, b))
    return spans


def _veil_peak(times: np.ndarray, std: np.ndarray, a: int, b: int, config: BoundaryConfig) -> bool:
    """The mix span (`a`, `b`) (`std`: each frame's grey contrast) has an end at its lowest
    contrast (within gradual_mix_contrast_tol) beyond which, within gradual_mix_veil_reach_s,
    the contrast climbs to gradual_mix_veil_rise x both ends' or more: the picture there was
    veiled (smoke, a light leak passing over a moving shot), thickest at that end, and comes
    back as the veil lifts. A dissolve ends in its new shot at that shot's own contrast; its
    blend's dip lies between its ends. Round-28 set, seed 2804: a puff of smoke over a rising,
    rolling shot, contrast 21.0 -> 16.5 at the span's end (its lowest 16.0), 34.5 within 0.6 s
    after (1.64x its larger end); the true mix spans that make boundaries in rounds 17-28,
    with an end at their lowest, climb to 0.72x their larger end at most."""
    rise = config.gradual_mix_veil_rise
    if rise is None or b - a < 2:
        return False
    low = float(std[a : b + 1].min()) * (1 + config.gradual_mix_contrast_tol)
    top = rise * max(float(std[a]), float(std[b]))
    reach = config.gradual_mix_veil_reach_s
    after = std[b + 1 : int(np.searchsorted(times, times[b] + reach, side="right"))]
    before = std[int(np.searchsorted(times, times[a] - reach)) : a]
    return bool(
        (std[b] <= low and len(after) and after.max() >= top)
        or (std[a] <= low and len(before) and before.max() >= top)
    )


def _grain_dissolves(
    times: np.ndarray,
    tinies: list[np.ndarray],
    detail: np.ndarray,
    cuts: list[int],
    config: BoundaryConfig,
) -> list[tuple[int, int]]:
    """Dissolves that mix two shots pixel by pixel (a dither dissolve: each pixel shows one
    shot or the other, more of the new one as the mix goes), as (last old, first new)
    analysed frames. Each pixel then differs from its neighbours by as much as the two shots
    differ there: a grain neither shot has, strongest mid-way (its variance a(1-a) |A-B|^2),
    that the colours and the contrast of two near-flat pictures do not show (round-20 set,
    seed 2001: 1.92 s between two bright skies, hist lag under 0.1, no contrast dip; `detail`,
    the Laplacian's standard deviation, 0.8 -> 55 -> 1.2 over the dissolve's frames exactly).
    A peak of `detail` (the largest within gradual_grain_max_s) at least gradual_grain_min_rise
    above the level gradual_grain_side_s beyond where it falls under gradual_grain_fall x the
    peak, each side, that level itself under it, the fall gradual_grain_min_s to
    gradual_grain_max_s apart with no hard cut between. The grain is finer than a thumbnail,
    where the frames between are mixes of the two pictures, and a mix is no more contrasted
    than the more contrasted of them (the grey std of a blend is at most the blend of the
    stds): at most gradual_grain_max_contrast x the ends' (their motion changes them a
    little); and their share of the change from one end to the other rises with time
    (correlation at least gradual_grain_min_trend). A shot's own fine texture between two
    flat pictures (round-20 set, seed 2002: a fractal after someone fills the frame and
    before a fade to black, thumbnail contrast 5.7 x the ends') passes neither, nor does a
    spin's detail (trend 0.1-0.2)."""
    n = len(times)
    if not config.gradual_grain_min_rise or n < 8:
        return []
    fall = config.gradual_grain_fall
    half = config.gradual_grain_max_s / 2
    spans: list[tuple[int, int]] = []
    for m in range(1, n - 1):
        if any(a <= m <= b for a, b in spans):
            continue
        a = int(np.searchsorted(times, times[m] - half))
        b = int(np.searchsorted(times, times[m] + half, side="right"))
        if detail[m] < detail[a:b].max():
            continue
        first, last = m, m
        while first > 0 and detail[first] > fall * detail[m]:
            first -= 1
        while last < n - 1 and detail[last] > fall * detail[m]:
            last += 1
        if first == 0 or last == n - 1 or last - first < 4:
            continue
        if (
            not config.gradual_grain_min_s
            <= times[last] - times[first]
            <= config.gradual_grain_max_s
        ):
            continue
        if any(first < i <= last for i in cuts):
            continue
        side = config.gradual_grain_side_s
        before = detail[int(np.searchsorted(times, times[first] - side)) : first + 1]
        after = detail[last : int(np.searchsorted(times, times[last] + side, side="right"))]
        level = max(float(np.median(before)), float(np.median(after)))
        if level > fall * detail[m] or detail[m] - level < config.gradual_grain_min_rise:
            continue
        grey = np.stack(
            [tinies[k].astype(np.float32).mean(-1).ravel() for k in range(first, last + 1)]
        )
        contrast = grey.std(axis=1)
        if contrast.max() > config.gradual_grain_max_contrast * max(contrast[0], contrast[-1], 1.0):
            continue
        share = _blend_fit(grey[1:-1], grey[:1], grey[-1:])[0]
        if (
            float(np.corrcoef(times[first + 1 : last], share)[0, 1])
            >= config.gradual_grain_min_trend
        ):
            spans.append((first, last))
    return spans


def _half_size(grey: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Flat grey thumbnails of `shape` (rows, columns) at half size: means of 2 x 2 pixels
    (an odd last row or column dropped)."""
    h, w = shape[0] // 2, shape[1] // 2
    pictures = grey.reshape(len(grey), *shape)[:, : 2 * h, : 2 * w]
    return pictures.reshape(len(grey), h, 2, w, 2).mean(axis=(2, 4)).reshape(len(grey), -1)


def _blend_fit(
    frames: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each of `frames` (rows of flat pictures) fitted as a blend of its ends `a` and `b`: its
    share of their change (unclipped), the nearest blend (share clipped to [0, 1]), its
    distance from that blend as a fraction of the change, and the change's squared norm."""
    change = b - a
    norm2 = np.maximum((change * change).sum(axis=1), 1e-6)
    share = ((frames - a) * change).sum(axis=1) / norm2
    blend = a + np.clip(share, 0, 1)[:, None] * change
    residual = np.linalg.norm(frames - blend, axis=1) / np.sqrt(norm2)
    return share, blend, residual, norm2


def _mix_span(grey: np.ndarray, a: int, b: int, eps: float) -> tuple[int, int]:
    """The span (`a`, `b`) of a dissolve that `_moving_dissolves` found (its windows' ends)
    narrowed to the dissolve: each frame's share of the change from frame `a` to frame `b`
    (`grey`: flat grey thumbnails) stays within `eps` of 0 from `a` on until the mix starts,
    and within `eps` of 1 after it ends; the frames that stay there are the shots' own and
    leave the span. The first and last frames of the mix, within `eps` of an end, may leave
    with them: at most `eps` of its length (0.27 s of a 2 s mix eased at both ends), which the
    analysed frame and gradual_pad_s a boundary adds each side cover. Round-16 set, seed
    1604: a 0.52 s fade's windows reached 0.28 s into the shots each side, the refinement's
    uncertain ends a share of that on top."""
    if eps <= 0 or b - a < 3:
        return a, b
    blend = _blend_shares(list(grey[a : b + 1]))
    if blend is None:
        return a, b
    share = blend[0]
    start = int(np.argmax(share > eps)) if np.any(share > eps) else len(share)
    end = int(np.flatnonzero(share < 1 - eps)[-1]) if np.any(share < 1 - eps) else -1
    # share[k] is frame a + 1 + k's: the last frame within eps of 0 is a + start, the first
    # within eps of 1 after the mix a + end + 2
    last_a, first_b = a + start, a + end + 2
    if first_b - last_a < 2:
        return a, b
    return last_a, first_b


def _wipe(
    times: np.ndarray,
    tinies: list[np.ndarray],
    p: int,
    q: int,
    config: BoundaryConfig,
    median: bool = False,
) -> bool:
    """The frames between `p` and `q` are partitions of the two (a hard-edged wipe): of the
    pixels that tell the two apart (by more than 3 x `gradual_wipe_tol` in some channel; at
    least `gradual_wipe_min_apart` of them, or the two are too alike to tell), at
    least `gradual_wipe_min_explained` lie within the tolerance of one of them in every channel,
    and the share of those that are `q`'s never falls back and, while it moves, rises steadily
    with time (correlation at least `gradual_wipe_min_trend`), mid-way (0.15-0.85) over at
    least `gradual_wipe_min_s`. A pan, a zoom or a brightness change inside one shot passes
    through pixels near neither end; an object crossing it gives back its first frame. With
    `median`, a frame's share is the median over its explained pixels, settled within 0.1 of
    an end: a noise-like shot's pixels scatter about its clean frame, their clipped blends
    biasing the mean up."""
    if q - p < 4:
        return False
    apart = _apart(tinies[p], tinies[q], config)
    if apart is None:
        return False
    a = tinies[p].astype(np.float32)
    b = tinies[q].astype(np.float32)
    tol = config.gradual_wipe_tol
    n = len(tinies)
    # A wipe joins two shots, one of them at least settled: over half the wipe's length before
    # `p` (after `q`), most of the pixels that the wipe changes stay nearer their own value than
    # half-way to the other end's. A picture that sweeps by itself (a two-colour gradient
    # turning) changed as much before and goes on changing as much after: no shot on either
    # side (turning gradients: 0.81 and 0.79 of the pixels, 0.92 and 0.50; wipes set's wipes
    # passing here, at most 0.15 on their calmer side).
    room = np.abs(a - b).max(-1)
    half = max(1, (q - p) // 2)
    unsettled = [
        float(np.mean((np.abs(tinies[m].astype(np.float32) - end).max(-1) >= room / 2)[apart]))
        for m, end in ((max(0, p - half), a), (min(n - 1, q + half), b))
    ]
    if min(unsettled) > config.gradual_wipe_max_unsettled:
        return False
    frames = np.stack([tinies[m] for m in range(p + 1, q)]).astype(np.float32)
    # Each shot's own drift widens the tolerance: frame m may differ from `p` by as much as
    # the shot changed over as long before `p` (from `q`, after it), pixel by pixel, up to
    # half the change between the ends (so no pixel is near both). A moving shot (film grain,
    # a drifting gradient) otherwise leaves its half of a wipe unexplained (wipes set: colour
    # bars into a gradient, Chaplin into bars).
    back = np.stack([tinies[max(0, 2 * p - m)] for m in range(p + 1, q)]).astype(np.float32)
    ahead = np.stack([tinies[min(n - 1, 2 * q - m)] for m in range(p + 1, q)]).astype(np.float32)
    tol_a = tol + np.minimum(np.abs(back - a).max(-1), room)
    tol_b = tol + np.minimum(np.abs(ahead - b).max(-1), room)
    # A pixel is explained as a blend of the two ends (a soft edge's band; 0 or 1 on either
    # side of a hard edge): within the tolerance of the nearest point between them. The share
    # of `q` is the mean blend of the explained pixels (wipes set: soft diagonal and smooth
    # wipes out of real footage or into colour bars, whose band of blended pixels is wide).
    change = b - a
    blend = ((frames - a) * change).sum(-1) / np.maximum((change * change).sum(-1), 1e-6)
    blend = np.clip(blend, 0.0, 1.0)
    residual = np.abs(frames - (a + blend[..., None] * change)).max(-1)
    near = (residual <= tol_a + blend * (tol_b - tol_a))[:, apart]
    explained = near.mean(1)
    share_b = (blend[:, apart] * near).sum(1) / np.maximum(near.sum(1), 1)
    if median:
        share_b = np.array(
            [
                np.median(b[m]) if m.any() else 0.0
                for b, m in zip(blend[:, apart], near, strict=True)
            ]
        )
    ok = explained >= config.gradual_wipe_min_explained
    if ok.sum() < 4:
        return False
    t = times[p + 1 : q]
    # Each analysed frame stands for the step to the next (the pass may see only reference
    # frames: first to last middle frame falls a step short of a 0.5 s wipe's middle).
    middle = ok & (share_b >= 0.15) & (share_b <= 0.85)
    step = float(np.median(np.diff(times[p : q + 1])))
    if middle.sum() < 2 or middle.sum() * step < config.gradual_wipe_min_s:
        return False
    # A blend of the whole picture (a dip in the light, a dissolve: the other rules judge
    # those) is no wipe: mid-way its frames lie near one blend of the ends, within
    # gradual_blend_max_residual of the change; an edge's frames, hard or soft, farther (next
    # set: a dip after a circle opening passed as a wipe once blends were admitted).
    whole = _blend_shares([a.ravel(), *(f.ravel() for f in frames), b.ravel()])
    if whole is not None and np.median(whole[1][middle]) <= config.gradual_blend_max_residual:
        return False
    # Both ends are clean shots: for gradual_wipe_min_s after `p` the share is still about 0,
    # for as long before `q` already about 1 (a shot that changes slowly all the way, a
    # fractal's drift, is no partition of two shots).
    first = t <= t[0] + config.gradual_wipe_min_s
    last = t >= t[-1] - config.gradual_wipe_min_s
    off = 0.1 if median else 0.05
    if np.any(share_b[first & ok] > off) or np.any(share_b[last & ok] < 1 - off):
        return False
    # The edge moves one way: the share never falls back (by more than 0.15) and, while it
    # moves (0.05-0.95), rises steadily with time.
    if float(np.max(np.maximum.accumulate(share_b[ok]) - share_b[ok])) > 0.15:
        return False
    moving = ok & (share_b > off) & (share_b < 1 - off)
    if moving.sum() < 3 or np.ptp(share_b[moving]) <= 0:
        return False
    return float(np.corrcoef(t[moving], share_b[moving])[0, 1]) >= config.gradual_wipe_min_trend


def _slide(
    times: np.ndarray,
    tinies: list[np.ndarray],
    p: int,
    q: int,
    config: BoundaryConfig,
    rows: ThumbRows | None = None,
) -> tuple[int, int] | None:
    """(last frame before, first frame after) the seam's run where the frames between `p` and
    `q` are a slide or push from `p`'s picture to `q`'s along one of the four ways
    (`_slide_seam` on the thumbnails turned and flipped so that it moves up), or None. Both
    ends have structure along the move (neighbouring rows apart by pan_seam_floor: colour bars
    shifted along their bars look alike), and `p`'s last row and `q`'s first, side by side at
    the seam, differ by more than pan_seam times the neighbouring rows do (a tilt's picture
    joins on, `_pan`): tested first, on the ends alone (on the bench input they reject half
    the ways tried), before any frame's seam is fitted. `rows`: the thumbnails' rows as
    `ThumbRows` keeps them for all the calls of a pass (one is made when None).

    No cheaper test skips the fit (issue 12: 524 calls, 0.31 CPU s, on the bench input, none a
    slide): each frame's best fit bounded from below by its rows' nearest rows of either end
    left 1087 of 1091 fits able to pass; one product for both ends, or the seams' sums as a
    skewed view's diagonal sums, cost as much as these."""
    if config.gradual_slide_max_fit <= 0 or q - p < 5:
        return None
    rows = rows or ThumbRows(tinies)
    for axis in (0, 1):  # rows, then columns
        (a, a_norms), (b, b_norms) = rows.of(p, axis), rows.of(q, axis)
        neighbours = min(rows.step(p, axis), rows.step(q, axis))
        if neighbours < config.pan_seam_floor:
            continue
        # mean |difference| of the joined rows: the float32 sum of whole numbers is exact
        size = a.shape[1]
        ways = [
            way
            for way, join in ((slice(None), a[-1] - b[0]), (slice(None, None, -1), a[0] - b[-1]))
            if float(np.abs(join).sum()) / size > config.pan_seam * neighbours
        ]
        if not ways:
            continue
        # (frame, its row, the end's row): squared distances. The thumbnails' 8-bit values
        # make every product and sum a whole number below 2 ** 24: exact in float32 and in any
        # order of summing. (One 2-D product for all frames would run OpenBLAS's threads:
        # ~40x the CPU of numpy's loop of small products here.)
        flat, norms = rows.stack(p + 1, q, axis)
        n = len(a)
        ends, ends_norms = np.concatenate([a, b]), np.concatenate([a_norms, b_norms])
        to_ends = flat @ (-2 * ends.T) + norms[:, :, None] + ends_norms  # a's rows, then b's
        to_ends = to_ends.reshape(*norms.shape, 2, n).transpose(2, 0, 1, 3)  # end first
        # A seam's sums are diagonals of these (`_slide_seam`); the way flipped (both axes)
        # reads the diagonal at the opposite offset, so one set of sums serves both ways.
        sums_a, sums_b = _diagonal_sums(to_ends)
        still_a, still_b = np.diagonal(to_ends, 0, 2, 3).astype(np.float64)  # (frame, row)
        for way in ways:
            # seam r: diagonal n - r of the distances to `a`, -r of those to `b` (way up)
            top = sums_a[:, 2 * n - 2 : n - 1 : -1] if way.step is None else sums_a[:, : n - 1]
            bottom = sums_b[:, n - 2 :: -1] if way.step is None else sums_b[:, n:]
            seam_still = (
                (still_a, still_b) if way.step is None else (still_a[:, ::-1], still_b[:, ::-1])
            )
            run = _slide_seam(times[p + 1 : q], top.T, bottom.T, *seam_still, size, config)
            if run is not None:
                return p + run[0], p + 2 + run[1]
    return None


class ThumbRows:
    """Each thumbnail's rows (axis 0) or columns (axis 1) as float32 vectors with their squared
    norms and `step`, made once per frame for all of a pass's `_slide` calls (calls for
    neighbouring lags share most of their frames; issue 12: `_slide` 0.42 CPU s on the bench
    input, most of it converting the same thumbnails again), BLOCK frames at a time (stacking
    each call's frames again cost a third of `_slide`'s time). 8-bit values: the float32 sums
    are whole numbers, exact."""

    BLOCK = 256  # thumbnails converted together, so that most `stack`s are one block's view
    MAX_BLOCKS = 16  # blocks x axes kept, then forgotten (a long video's calls move on)

    def __init__(self, tinies: list[np.ndarray]):
        self.tinies = tinies
        self._blocks: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        self._steps: dict[tuple[int, int], float] = {}

    def _block(self, k: int, axis: int) -> tuple[np.ndarray, np.ndarray]:
        """`stack` of block k's thumbnails, made once."""
        key = (k, axis)
        kept = self._blocks.get(key)
        if kept is None:
            if len(self._blocks) >= self.MAX_BLOCKS:
                self._blocks.clear()
            tinies = np.stack(self.tinies[k * self.BLOCK : (k + 1) * self.BLOCK])
            if axis:
                tinies = tinies.transpose(0, 2, 1, 3)
            vectors = tinies.reshape(*tinies.shape[:2], -1).astype(np.float32)
            norms = np.einsum("frs,frs->fr", vectors, vectors)
            kept = self._blocks[key] = (vectors, norms)
        return kept

    def of(self, i: int, axis: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows x values float32, each row's squared norm) of thumbnail i along `axis`."""
        vectors, norms = self._block(i // self.BLOCK, axis)
        return vectors[i % self.BLOCK], norms[i % self.BLOCK]

    def stack(self, start: int, stop: int, axis: int) -> tuple[np.ndarray, np.ndarray]:
        """`of` for thumbnails start..stop - 1, stacked: (frame, row, value), (frame, row)."""
        first, last = start // self.BLOCK, (stop - 1) // self.BLOCK
        if first == last:  # a view of one block
            vectors, norms = self._block(first, axis)
            at = first * self.BLOCK
            return vectors[start - at : stop - at], norms[start - at : stop - at]
        pieces = [
            [part[max(start - k * self.BLOCK, 0) : stop - k * self.BLOCK] for part in block]
            for k in range(first, last + 1)
            for block in [self._block(k, axis)]
        ]
        return np.concatenate([v for v, _ in pieces]), np.concatenate([n for _, n in pieces])

    def step(self, i: int, axis: int) -> float:
        """The median over thumbnail i's neighbouring rows along `axis` of their mean absolute
        difference (each mean a whole sum over the row's size, divided in float64 as np.mean
        divides)."""
        key = (i, axis)
        step = self._steps.get(key)
        if step is None:
            vectors = self.of(i, axis)[0]
            sums = np.abs(np.diff(vectors, axis=0)).sum(axis=1, dtype=np.float32)
            means = sums.astype(np.float64) / vectors.shape[1]
            step = self._steps[key] = statistics.median(means.tolist())
        return step


def _slide_seam(
    t: np.ndarray,
    top: np.ndarray,
    bottom: np.ndarray,
    still_a: np.ndarray,
    still_b: np.ndarray,
    size: int,
    config: BoundaryConfig,
) -> tuple[int, int] | None:
    """The (first, last) of the frames between two pictures `a` and `b` (at times `t`;
    squared distances from each of their rows, `size` values, to each of `a`'s and `b`'s rows)
    the seam crossed, where they slide up from `a` to `b`: frame rows above a seam r are `a`'s
    last r rows, those below `b`'s first; the seam that fits each best. The frames it fits
    within gradual_slide_max_fit of the nearer end (RMS; a moving shot's own motion spoils
    either fit) are at least 4 and gradual_slide_min_share of those from the first to the
    last; their seam falls from the bottom quarter to the top quarter, never rising back by
    more than a row, on a line in time (RMS off it at most gradual_slide_max_wobble rows: the
    slide moves steadily; a pan's best seam skips across, a dissolve's wanders); mid-way, one
    moved part fits within gradual_slide_max_moved of the same rows unmoved (a dissolve's
    parts fit as well unmoved); else None."""
    rows = still_a.shape[1]
    fit = np.maximum(top + bottom, 0.0)
    seam = fit.argmin(0) + 1
    nearer = np.minimum(still_a.sum(1), still_b.sum(1))
    inside = np.flatnonzero(
        np.sqrt(fit.min(0) / (rows * size))
        <= config.gradual_slide_max_fit * np.sqrt(np.maximum(nearer, 0.0) / (rows * size))
    )
    if len(inside) < 4 or len(inside) < config.gradual_slide_min_share * (np.ptp(inside) + 1):
        return None
    s = seam[inside].astype(np.float64)
    if s.max() < 0.75 * rows or s.min() > 0.25 * rows or np.ptp(t[inside]) <= 0:
        return None
    if float(np.max(s - np.minimum.accumulate(s))) > 1:
        return None
    line = np.polyfit(t[inside], s, 1)
    wobble = float(np.sqrt(np.mean((np.polyval(line, t[inside]) - s) ** 2)))
    if line[0] >= 0 or wobble > config.gradual_slide_max_wobble:
        return None
    middle = inside[(s >= 0.25 * rows) & (s <= 0.75 * rows)]
    if len(middle) < 2:
        return None
    moved = []
    for k in middle:
        r = int(seam[k])
        top_still = min(still_a[k, :r].sum(), still_b[k, :r].sum())
        bottom_still = min(still_a[k, r:].sum(), still_b[k, r:].sum())
        moved.append(
            min(
                math.sqrt(max(top[r - 1, k], 0.0) / max(top_still, 1e-6)),
                math.sqrt(max(bottom[r - 1, k], 0.0) / max(bottom_still, 1e-6)),
            )
        )
    if float(np.median(moved)) > config.gradual_slide_max_moved:
        return None
    return int(inside[0]), int(inside[-1])


def _diagonal_sums(m: np.ndarray) -> np.ndarray:
    """Each (n, n) matrix's diagonal sums in float64, (..., 2n - 1): column n - 1 + k holds
    diagonal k (np.trace's offset k: row i against column i + k), exact for whole numbers.
    The rows are laid out skewed in a zeroed buffer, so that each diagonal is a column."""
    *batch, n, _ = m.shape
    padded = np.zeros((*batch, n + 1, 2 * n), m.dtype)
    padded[..., :n, n:] = m
    steps = padded.strides  # row i read from its element i + 1 on: diagonals line up
    skewed = np.ndarray(
        (*batch, n, 2 * n - 1),
        m.dtype,
        padded,
        m.itemsize,
        (*steps[:-2], steps[-2] + steps[-1], steps[-1]),
    )
    return skewed.sum(-2, dtype=np.float64)


def _texture_sweep(
    times: np.ndarray,
    tinies: list[np.ndarray],
    sharpness: np.ndarray | None,
    p: int,
    q: int,
    config: BoundaryConfig,
) -> bool:
    """A soft wipe between two moving textures of one palette (grey noise-like pictures: no
    pixel stays near a clean frame, so `_wipe` finds no partition): the textures differ in
    fineness (sharpness, Laplacian energy per unit of grey variance, at the ends at most
    `gradual_texture_max_ratio` of each other; a brightness change or a pan keeps it), and on
    a 4x3 grid of block means (the textures averaged out) the frames between are blends of the
    ends whose share of `q` stays about 0 and about 1 for `gradual_wipe_min_s` at the ends,
    never falls back, and rises steadily (as `_wipe` asks of its share) with each frame a
    blend (median residual at most `gradual_blend_max_residual` of the change)."""
    import cv2

    if sharpness is None or q - p < 6 or config.gradual_texture_max_ratio <= 0:
        return False
    side = max(2, (q - p) // 6)
    ends = (
        float(np.median(sharpness[max(0, p - side + 1) : p + 1])),
        float(np.median(sharpness[q : q + side])),
    )
    # Both ends are fine textures (sharpness at least gradual_texture_min_sharpness: noise-like
    # detail); a smooth picture (a turning gradient, sharpness ~0.03) sweeps by itself.
    if min(ends) < config.gradual_texture_min_sharpness:
        return False
    if min(ends) > config.gradual_texture_max_ratio * max(ends) or max(ends) <= 0:
        return False
    blend = _blend_shares(
        [
            cv2.resize(tinies[m], (4, 3), interpolation=cv2.INTER_AREA).astype(np.float32).ravel()
            for m in range(p, q + 1)
        ]
    )
    if blend is None:
        return False
    share, residual = blend
    t = times[p + 1 : q]
    first = t <= t[0] + config.gradual_wipe_min_s
    last = t >= t[-1] - config.gradual_wipe_min_s
    if np.any(share[first] > 0.1) or np.any(share[last] < 0.9):
        return False
    if float(np.max(np.maximum.accumulate(share) - share)) > 0.15:
        return False
    moving = (share > 0.1) & (share < 0.9)
    if moving.sum() < 3 or float(t[moving][-1] - t[moving][0]) < config.gradual_wipe_min_s:
        return False
    return (
        float(np.corrcoef(t[moving], share[moving])[0, 1]) >= config.gradual_wipe_min_trend
        and float(np.median(residual[moving])) <= config.gradual_blend_max_residual
    )


def _through_flat_span(
    times: np.ndarray,
    tinies: list[np.ndarray],
    i: int,
    window_s: float,
    config: BoundaryConfig,
    both_sides: bool = False,
) -> tuple[int, int] | None:
    """(last clean frame of the old shot, first clean one of the new) of a fade through a flat
    picture (black, white, one colour) whose flat frames lie at the jump of the hard cut `i`:
    from the flat run the frames outwards keep moving away from the flat picture (each farther
    from it than the one nearer by more than `gradual_noise`) over the fade-out and fade-in,
    and stop where the shots begin. None when no flat frame lies at the jump, or when neither
    side has a frame part-way between the flat picture and the shot (a hard cut to or from a
    dark or flat shot: its flat frames are that shot's own); with `both_sides`, also when
    either side has none (a flash to white: no frame part-way into it or out of it)."""
    n = len(times)
    flat = [k for k in range(max(0, i - 2), min(n, i + 2)) if _flat(tinies[k])]
    if not flat:
        return None
    f0, f1 = flat[0], flat[-1]
    while f0 - 1 >= 0 and _flat(tinies[f0 - 1]) and times[i] - times[f0 - 1] <= window_s:
        f0 -= 1
    while f1 + 1 < n and _flat(tinies[f1 + 1]) and times[f1 + 1] - times[i] <= window_s:
        f1 += 1

    def ramp(edge: int, direction: int) -> tuple[int, bool]:
        """The first frame outwards from the flat frame `edge` past the last one that still
        moved away, and whether a frame between lies part-way (a fade's blend, not a shot's
        own first frame a little above flat)."""
        k = edge
        while 0 <= k + direction < n and abs(times[k + direction] - times[edge]) <= window_s:
            nearer = _rms(tinies[k], tinies[edge])
            if _rms(tinies[k + direction], tinies[edge]) <= nearer + config.gradual_noise:
                break
            k += direction
        far = _rms(tinies[k], tinies[edge])
        part_way = any(
            0.15 * far < _rms(tinies[m], tinies[edge]) < 0.85 * far
            for m in range(edge + direction, k, direction)
        )
        return (k + direction if 0 <= k + direction < n else k), part_way

    (last_a, fade_out), (first_b, fade_in) = ramp(f0, -1), ramp(f1, 1)
    if not fade_out and not fade_in:
        return None  # flat frames with a hard cut on either side: a flat shot's own
    if both_sides and not (fade_out and fade_in):
        return None
    return last_a, first_b


def _flat_fade_within(
    times: np.ndarray,
    hists: np.ndarray,
    tinies: list[np.ndarray],
    last_a: int,
    first_b: int,
    centre: int,
    config: BoundaryConfig,
) -> tuple[int, int] | None:
    """The span of a fade through a flat picture inside the span (`last_a`, `first_b`) of the
    lag peak at `centre` (`_through_flat_span` from its flat frames nearest the peak, a fade
    on both sides of them): when it lies within the span, the peak within gradual_window_s of
    it (a peak farther off measured another change as well) and its clean frames are
    different shots (a flash to white inside a moving shot, or a fade between similar shots,
    keeps the peak's span). None otherwise."""
    flat = [k for k in range(last_a + 1, first_b) if _flat(tinies[k])]
    if not flat:
        return None
    i = min(flat, key=lambda k: abs(k - centre))
    fade = _through_flat_span(times, tinies, i, config.gradual_window_s, config, both_sides=True)
    if fade is None:
        return None
    a, b = fade
    w = config.gradual_window_s
    if not last_a <= a < b <= first_b or (a, b) == (last_a, first_b):
        return None
    if not times[a] - w <= times[centre] <= times[b] + w:
        return None
    if not _apart_around(times, hists, tinies, a, b, config):
        return None
    return a, b


def _dominant_step(
    times: np.ndarray, tinies: list[np.ndarray], last_a: int, first_b: int, config: BoundaryConfig
) -> int | None:
    """The first analysed frame of the new shot when one step (with at most one large step
    beside it: a frame blended by a rate conversion) makes the change between `last_a` and
    `first_b` while every other step there is small: a hard cut between shots whose own noise
    hid it from the content score. None otherwise (a gradual change spreads over its frames).
    A smaller step right beside the jump is the shots' own motion at the cut, over as long a
    gap between analysed frames as the jump's (where the pass reads reference frames only,
    the step after a jump cut in a moving scene was 0.21 of it), not a step of the change."""
    if first_b - last_a < 2:
        return None
    ks = list(range(last_a + 1, first_b + 1))
    steps = np.array([_rms(tinies[k - 1], tinies[k]) for k in ks])
    top = int(np.argmax(steps))
    big = float(steps[top])
    if big < config.gradual_cut_min_step:
        return None
    jump = {top} | {j for j in (top - 1, top + 1) if 0 <= j < len(ks) and steps[j] >= 0.3 * big}
    others = [float(v) for j, v in enumerate(steps) if abs(j - top) > 1]
    if others and max(others) > 0.2 * big:
        return None
    # Not a flash: no frame within flash_s after looks like the one before the jump again (in
    # a moving shot, against its own motion, as a content cut's flash is judged: `_flash_back`).
    # The jump's own last frame too, where it came back within the jump (under
    # flash_jump_ratio x its step from the frame before: a one-frame flash leaves and comes
    # back; a cut's blended frame lies between the shots, the new one as far as the steps).
    first, k = ks[min(jump)], ks[max(jump)]
    end = int(np.searchsorted(times, times[k] + config.flash_s, side="right"))
    came_back = k > first and _rms(tinies[first - 1], tinies[k]) < config.flash_jump_ratio * big
    if any(
        _flash_back(times, tinies, first, j, config)
        for j in range(k if came_back else k + 1, min(end, len(tinies)))
    ):
        return None
    return k


def suspicious_cut(tinies: list[np.ndarray], i: int) -> bool:
    """A hard cut whose neighbouring analysed steps are large too: perhaps a fast transition
    (a slide, a wipe) seen at its steepest step, worth a look at full frame rate."""
    jump = _rms(tinies[i - 1], tinies[i])
    before = [_rms(tinies[k - 1], tinies[k]) for k in range(max(1, i - 3), i)]
    after = [_rms(tinies[k - 1], tinies[k]) for k in range(i + 1, min(len(tinies), i + 4))]
    if not before or not after:
        return False
    # One side is enough: a slide or wipe into (or out of) a still shot is fast on one side.
    return max(float(np.median(before)), float(np.median(after))) > 0.4 * jump


def _shifted_rms(
    a: np.ndarray, b: np.ndarray, reach_x: float = 0.25, reach_y: float = 0.25
) -> float:
    """The least RMS difference of thumbnails `a` and `b` over their overlap with `b` shifted by
    up to `reach_x` of their width and `reach_y` of their height (a quarter unless told)."""
    height, width = a.shape[:2]
    best = math.inf
    ry, rx = int(height * reach_y), int(width * reach_x)
    for dy in range(-ry, ry + 1):
        for dx in range(-rx, rx + 1):
            best = min(best, _rms(*_overlap(a, b, dx, dy)))
    return best


def _shifted_ncc(a: np.ndarray, b: np.ndarray, reach: float) -> float:
    """The best normalised correlation (`_ncc`) of thumbnails `a` and `b` over their overlap
    with `b` shifted by up to `reach` of their width and height."""
    height, width = a.shape[:2]
    ry, rx = round(height * reach), round(width * reach)
    return max(
        _ncc(*_overlap(a, b, dx, dy)) for dy in range(-ry, ry + 1) for dx in range(-rx, rx + 1)
    )


def _overlap(a: np.ndarray, b: np.ndarray, dx: int, dy: int) -> tuple[np.ndarray, np.ndarray]:
    """The parts of `a` and `b` that show the same place where the picture moved by (-dx, -dy)
    from `a` to `b`: `a[dy:, dx:]` against `b[:-dy, :-dx]` (for positive shifts)."""
    height, width = a.shape[:2]
    part_a = a[max(0, dy) : height + min(0, dy), max(0, dx) : width + min(0, dx)]
    part_b = b[max(0, -dy) : height + min(0, -dy), max(0, -dx) : width + min(0, -dx)]
    return part_a, part_b


def _still_band(
    before: np.ndarray, after: np.ndarray, old: np.ndarray, new: np.ndarray, config: BoundaryConfig
) -> bool:
    """The step from thumbnail `before` to `after` leaves a band along one side of the picture
    (at least `cut_band_min` of its height or width) still, each of its rows (columns) changing
    by under `cut_band_ratio` of the whole step (RMS), and that band is already the new shot's
    (`new`, a frame after the change; twice as near it as the old shot's, `old`). A hard cut
    changes the whole picture; a wipe's edge parts it, and a jump on the old shot's side of the
    edge (its own cut while it is being covered) leaves the part already wiped as it was. (A
    pan leaves a flat band of the old picture still: wipes set, a whip pan over colour bars.)"""
    if config.cut_band_min <= 0:
        return False
    d = np.abs(after.astype(np.float32) - before.astype(np.float32)).max(-1)
    jump = float(np.sqrt(np.mean(d * d)))
    limit = config.cut_band_ratio * jump
    rows = np.sqrt(np.mean(d * d, axis=1))
    columns = np.sqrt(np.mean(d * d, axis=0))
    height, width = d.shape
    for profile, axis in ((rows, 0), (columns, 1)):
        size = (height, width)[axis]
        k = math.ceil(config.cut_band_min * size)
        for band in (slice(0, k), slice(size - k, size)):
            if not np.all(profile[band] < limit):
                continue
            part = (band, slice(None)) if axis == 0 else (slice(None), band)
            now = after[part].astype(np.float32)
            to_new = float(np.abs(now - new[part]).max(-1).mean())
            to_old = float(np.abs(now - old[part]).max(-1).mean())
            if to_new <= 0.5 * to_old:
                # Unless the picture moved (a tilt over colour bars leaves their columns as
                # they were; a whip pan a flat bar): `after` is `before` shifted (by up to a
                # quarter of the thumbnail), within cut_band_moved of the step (wipes set,
                # pillar-boxed: a tilt 0.29, a whip 0.16; the new set's wipe 1.0, no shift
                # nearer). Looked at last: most cuts leave no band still.
                return _shifted_rms(before, after) >= config.cut_band_moved * jump
    return False


# decode(t0, t1) -> times and 32x18 thumbnails of every frame in [t0, t1]; decode(t0, t1, size)
# at that (width, height) instead
WindowDecoder = Callable[..., tuple[list[float], list[np.ndarray]]]


def refine_boundaries(
    boundaries: list[Boundary],
    features: BoundaryFeatures,
    decode_window: WindowDecoder,
    frame_s: float,
    config: BoundaryConfig,
    read_span: tuple[float, float] = (0.0, math.inf),
    keyframes_s: Sequence[float] = (),
) -> list[Boundary]:
    """Each gradual boundary (and each suspicious cut) grown to its transition's exact ends,
    found at full frame rate in a window that `decode_window(t0, t1)` decodes again
    (times and 32x18 thumbnails of every frame in [t0, t1]).

    The analysis pass may see only reference frames; at full rate a transition's frames each
    change from the one before by the transition's step on top of the shot's own motion, so
    the run of such frames next to the coarse span is the transition. Spans grow by at most
    `refine_max_extend_s` a side and never into a neighbouring boundary; an end moves in only
    to a run of the transition's fast steps inside the span (`refine_shrink_min_s`).

    A boundary the refinement drops (a camera's zoom or fast move, a moving shot's own change
    with no shot beyond it) bounds no neighbour: with `refine_again_without_dropped`, the
    others are refined again as if it had never been found (round-16 set, seed 1603's shots
    3-5: a false span over the zooming shot after a fade through grey, dropped with no shot
    beyond it, began 0.12 s past the fade and ended the fade's window there; the fade's end
    followed the mean's fall no farther and 0.38 s of it leaked). A boundary whose limits
    are those it had is not refined again.
    """
    keyframes = [k for k in keyframes_s if read_span[0] <= k <= read_span[1]]
    done: dict[tuple[Boundary, float, float], Boundary | None] = {}

    def refine(b: Boundary, lo_limit: float, hi_limit: float) -> Boundary | None:
        key = (b, lo_limit, hi_limit)
        if key not in done:
            r = _refine_one(
                b, lo_limit, hi_limit, features, decode_window, frame_s, config, keyframes
            )
            # (a cut still, once a fast transition's steepest step has grown to its span)
            if (
                r is not None
                and r.kind == BoundaryKind.CUT
                and not r.exact
                and _stepped_shot_across(r, features, decode_window, frame_s, config)
            ):
                r = None  # one of a slowed shot's held frames giving way to the next
            done[key] = r
        return done[key]

    while True:
        refined, kept = _refine_pass(boundaries, features, refine, frame_s, config, read_span)
        if len(kept) == len(boundaries) or not config.refine_again_without_dropped:
            break
        boundaries = [boundaries[k] for k in kept]
    return _edge_cuts_joined(refined, frame_s) if config.refine_join_edge_cuts else refined


def _edge_cuts_joined(boundaries: list[Boundary], frame_s: float) -> list[Boundary]:
    """`boundaries` (refined, in time order) with each cut that a gradual span beside it
    reaches (their gap under half a frame: the span grew up to the cut and stopped there, its
    neighbour) joined into that span. Round-20 set, seed 2002: a jump in a violently moving
    shot 0.6 s before a fade, kept as a cut where the fade's coarse start bounded its window,
    the fade's refined start at its frame."""
    out: list[Boundary] = []
    for b in boundaries:
        prev = out[-1] if out else None
        if (
            prev is not None
            and b.start_s - prev.end_s < frame_s / 2
            and {prev.kind, b.kind} == {BoundaryKind.CUT, BoundaryKind.GRADUAL}
        ):
            out[-1] = Boundary(
                BoundaryKind.GRADUAL,
                min(prev.start_s, b.start_s),
                max(prev.end_s, b.end_s),
                max(prev.index, b.index),
            )
            continue
        out.append(b)
    return out


def _refine_pass(
    boundaries: list[Boundary],
    features: BoundaryFeatures,
    refine: Callable[[Boundary, float, float], Boundary | None],
    frame_s: float,
    config: BoundaryConfig,
    read_span: tuple[float, float],
) -> tuple[list[Boundary], list[int]]:
    """`refine_boundaries` once over `boundaries` (`refine(b, lo_limit, hi_limit)`: each
    within its neighbours, `_refine_one`): the refined ones, and the indices in `boundaries`
    of those that stood."""
    out: list[Boundary | None] = list(boundaries)
    for k, b in enumerate(boundaries):
        lo_limit = (out[k - 1] or boundaries[k - 1]).end_s if k else read_span[0]
        hi_limit = boundaries[k + 1].start_s if k + 1 < len(boundaries) else read_span[1]
        out[k] = refine(b, lo_limit, hi_limit)
    kept = [k for k, b in enumerate(out) if b is not None]
    refined = [b for b in out if b is not None]
    if config.refine_settle_eps > 0:
        refined = _settled_ends(refined, features, config)
    if config.fade_min_rate:
        refined = _fade_ramps(refined, features, frame_s, config, read_span)
    if config.gradual_edge_shots:
        stand = [not _no_shot_beyond(b, features, frame_s, read_span, config) for b in refined]
        kept = [k for k, ok in zip(kept, stand, strict=True) if ok]
        refined = [b for b, ok in zip(refined, stand, strict=True) if ok]
    return refined, kept


def _refine_one(
    b: Boundary,
    lo_limit: float,
    hi_limit: float,
    features: BoundaryFeatures,
    decode_window: WindowDecoder,
    frame_s: float,
    config: BoundaryConfig,
    keyframes: Sequence[float],
) -> Boundary | None:
    """Boundary `b` refined within (lo_limit, hi_limit), its neighbours' ends; None where it
    is no boundary (the camera's own move or zoom)."""
    if b.exact:
        return b
    times_all = features.times_s
    # A cut between analysed frames more than a frame apart (non-reference frames skipped
    # between them) is pinned to its frame; unless the encoder put a keyframe on it (where
    # it saw the cut: the frames skipped before are the old shot's, and a window there
    # decodes from the keyframe before, a GOP away).
    pin = (
        b.kind == BoundaryKind.CUT
        and config.refine_cut_pin
        and 0 < b.index < len(times_all)
        and times_all[b.index] - times_all[b.index - 1] > 1.5 * frame_s
        and not any(abs(k - times_all[b.index]) < frame_s / 4 for k in keyframes)
        # and the window decodes from a keyframe close before it: on a long-GOP source
        # one a GOP back made the pass cost 1.25x (pins of the bench's long-GOP copy)
        and any(0 <= times_all[b.index - 1] - k <= config.refine_cut_pin_max_s for k in keyframes)
    )
    if b.kind in (BoundaryKind.CUT, BoundaryKind.GRADUAL) and _same_shot_across(
        b, features, decode_window, frame_s, config
    ):
        return None  # a flicker, a brightening: the shot's own light
    if b.kind == BoundaryKind.CUT:
        if not 0 < b.index < len(features.tinies) or not suspicious_cut(features.tinies, b.index):
            if pin:
                t0, t1 = times_all[b.index - 1], times_all[b.index]
                window = decode_window(t0 - frame_s / 4, t1 + frame_s / 4)
                return _pinned_cut(b, *window, t0, t1, frame_s, config)
            return b
    elif b.kind != BoundaryKind.GRADUAL:
        return b
    t0 = max(lo_limit, b.start_s - config.refine_context_s)
    t1 = min(hi_limit, b.end_s + config.refine_context_s)
    if times_all:
        t1 = min(t1, times_all[-1] + frame_s)
    times, tinies = decode_window(t0, t1)
    if len(times) < 4:
        return b
    times, steps = np.asarray(times), _steps(tinies)
    seed = (b.start_s, b.end_s)
    if b.kind == BoundaryKind.CUT:
        seed = _fast_run(times, steps, b.end_s, frame_s)
        # One big step among the shots' own, or a run of the shots' own motion: a hard cut.
        if seed is None or _own_motion(times, steps, *seed):
            if pin:
                t0, t1 = times_all[b.index - 1], times_all[b.index]
                return _pinned_cut(b, times.tolist(), tinies, t0, t1, frame_s, config)
            return b
    shrink = config.refine_shrink_min_s if b.kind == BoundaryKind.GRADUAL else None
    start_s, end_s, in_s, in_e = _refined_span(times, tinies, steps, *seed, frame_s, config, shrink)
    if shrink is not None:
        # Not over a fade of the footage's own running into the end (`_fade_ramps` follows it
        # from the end as found; from one moved in, not as far: next set, seed 801).
        analysed = np.asarray(times_all, dtype=np.float64)
        if in_s > start_s and not _own_fade(analysed, features, start_s, lo_limit, -1, config):
            start_s = in_s
        if in_e < end_s and not _own_fade(analysed, features, end_s, hi_limit, 1, config):
            end_s = in_e
    if b.kind == BoundaryKind.CUT and not _changes_shot(features, start_s, end_s, config):
        return None  # the camera's own fast move, two frames a step
    if b.kind == BoundaryKind.GRADUAL and config.refine_edge:
        start_s, end_s = _edge_span(times, tinies, start_s, end_s, frame_s, config)
    kind = b.kind
    if (
        kind == BoundaryKind.GRADUAL
        and config.refine_zoom_min_scale is not None
        and _camera_zoom(
            times,
            tinies,
            decode_window,
            start_s - 1.5 * frame_s,
            end_s,
            config,
            two_shots=config.refine_zoom_broken_one_shot
            and len(features.hists) == len(features.tinies) == len(times_all) > 1
            and _changes_shot(features, start_s, end_s, config),
        )
    ):
        return None
    if kind == BoundaryKind.GRADUAL and _one_shot_across(
        decode_window, start_s, end_s, frame_s, config
    ):
        return None  # fog, a white balance drifting, something passing: the shot's own
    if kind == BoundaryKind.CUT and end_s - start_s < 3 * frame_s:
        if pin:  # a hard cut after all
            t0, t1 = times_all[b.index - 1], times_all[b.index]
            return _pinned_cut(b, times.tolist(), tinies, t0, t1, frame_s, config)
        return b
    start_s, end_s = max(start_s, lo_limit), min(end_s, hi_limit)
    if kind == BoundaryKind.CUT:
        kind = BoundaryKind.GRADUAL
    index = max(b.index, int(np.searchsorted(times_all, end_s - 1e-6)))
    return Boundary(kind, max(0.0, start_s), end_s, min(index, len(times_all) - 1))


def _same_shot_across(
    b: Boundary,
    features: BoundaryFeatures,
    decode_window: WindowDecoder,
    frame_s: float,
    config: BoundaryConfig,
) -> bool:
    """The frames either side of the short span `b` (a cut, or a gradual span of at most
    `refine_same_shot_max_s`, as the analysis pass found them) are one picture lit otherwise:
    their mean brightness apart by `refine_same_shot_min_light` or more (|log| of the ratio),
    or their colour cast by `refine_same_shot_min_cast` (a white balance snapping: round-21
    set, seed 2103, 14.66 s), and, registered at `ZOOM_SIZE` by a shift of at most a fifth of
    the frame (phase correlation, then ECC, which fits a gain and an offset), correlating from
    `refine_same_shot_min_ecc`. Over so short a span a moving camera moves the picture by a few
    pixels; a flickering light changes its brightness, not its structure (round-17 set, seed
    1703: a handheld cockatoo's light dropping by a fifth, 0.17 apart, 0.96; the ends of the
    cuts and short spans in the development sets correlated 0.87 at most, but for a slide's
    two frames, one picture shifted: 0.985-1.0, lit alike, at most 0.08 apart). Lit alike, one
    picture that stayed put (`refine_same_shot_still_shift`) is one shot too: fine colour detail
    moving in place scores as a cut, not the picture (round-24 set, seed 2401, 34.37 s). A
    handheld jolt under a pan moves the picture farther, lit otherwise: up to a third of the
    frame (`SAME_SHOT_MAX_LIT_SHIFT`; round-24 set, seed 2402, 22.77 s: 0.32, ECC 0.97);
    only tinted otherwise, a fifth (`SAME_SHOT_MAX_SHIFT`: a fast slide's step)."""
    import cv2

    least, cast = config.refine_same_shot_min_ecc, config.refine_same_shot_min_cast
    still = config.refine_same_shot_still_shift
    if least is None or b.end_s - b.start_s > config.refine_same_shot_max_s:
        return False
    times, tinies = features.times_s, features.tinies
    if len(tinies) == len(times) > 1:  # the analysed frames lit alike: nothing to decode
        before = max(0, bisect.bisect_left(times, b.start_s) - 1)
        after = min(len(times) - 1, bisect.bisect_left(times, b.end_s))
        means = [max(float(tinies[k].mean()), 1.0) for k in (before, after)]
        if (
            abs(math.log(means[1] / means[0])) < config.refine_same_shot_min_light / 2
            and (cast is None or _cast_apart(tinies[before], tinies[after]) < cast / 2)
            and (
                still is None
                or _ncc(tinies[before], tinies[after]) < config.refine_same_shot_min_tiny_ncc
            )
        ):
            return False
        # ... or plainly two pictures: no shift within a fifth of the frame lines up their
        # thumbnails (a window before a cut decodes from the keyframe before, often a GOP
        # back: the bench input's 14 cuts cost 2.3 CPU s, its thumbnails 0.62 at most; a
        # search to SAME_SHOT_MAX_LIT_SHIFT lined some up, refine 0.08 -> 0.18 s; a jolt's
        # smooth picture lines up within a fifth, 0.996)
        if (
            _shifted_ncc(tinies[before], tinies[after], SAME_SHOT_MAX_SHIFT)
            < config.refine_same_shot_min_tiny_ncc
        ):
            return False
    _, frames = decode_window(b.start_s - 1.5 * frame_s, b.end_s + 1.5 * frame_s, ZOOM_SIZE)
    if len(frames) < 2:
        return False
    first, last = (
        cv2.GaussianBlur(cv2.cvtColor(f, cv2.COLOR_BGR2GRAY).astype(np.float32), (5, 5), 0)
        for f in (frames[0], frames[-1])
    )
    if min(float(first.std()), float(last.std())) < 2.0:
        return False  # a flat frame: a fade's black, no structure to register
    light = abs(math.log(max(float(last.mean()), 1.0) / max(float(first.mean()), 1.0)))
    lit_alike = light < config.refine_same_shot_min_light and (
        cast is None or _cast_apart(frames[0], frames[-1]) < cast
    )
    if lit_alike and still is None:
        return False  # lit and tinted alike: a slide's frames are one picture shifted too
    # ECC warps `first` onto `last` (a point of `last` at x sits at x + warp in `first`): it
    # starts from phase correlation's shift of `last` against `first`, turned round.
    (dx, dy), _ = cv2.phaseCorrelate(first, last)
    warp = np.array([[1, 0, -dx], [0, 1, -dy]], np.float32)
    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 100, 1e-5)
    try:
        ecc, warp = cv2.findTransformECC(
            last, first, warp, cv2.MOTION_TRANSLATION, criteria, None, 5
        )
    except cv2.error:  # no convergence: no one picture
        return False
    height, width = first.shape
    # Lit and tinted alike, only a picture that stayed put: a slide's frames are one picture
    # shifted by the slide's step.
    if lit_alike:
        reach = still
    elif light >= config.refine_same_shot_min_light:
        reach = SAME_SHOT_MAX_LIT_SHIFT
    else:
        reach = SAME_SHOT_MAX_SHIFT
    return (
        abs(float(warp[0, 2])) <= reach * width
        and abs(float(warp[1, 2])) <= reach * height
        and float(ecc) >= least
    )


def _one_shot_across(
    decode_window: WindowDecoder,
    start_s: float,
    end_s: float,
    frame_s: float,
    config: BoundaryConfig,
) -> bool:
    """The refined gradual span [start_s, end_s] lies inside one shot: the frames just before
    and after it, decoded at `ZOOM_SIZE`, are one picture (`_one_shot_fit`: correlating from
    `refine_one_shot_min_ncc` over `refine_one_shot_min_overlap` of the frame). Round-17 set,
    seed 1704: something crossing close to a slowly pulling-out camera; round-25 set, seed
    2502: a white balance drifting."""
    least = config.refine_one_shot_min_ncc
    if least is None:
        return False
    _, frames = decode_window(start_s - 1.5 * frame_s, end_s + 1.5 * frame_s, ZOOM_SIZE)
    fit = _one_shot_fit(frames, config.refine_one_shot_min_step, config.refine_one_shot_min_overlap)
    return fit is not None and fit[1] >= config.refine_one_shot_min_overlap and fit[0] >= least


def _one_shot_fit(
    frames: list[np.ndarray], least_step: float, least_share: float = 0.0
) -> tuple[float, float] | None:
    """How well the last of `frames` (BGR) is the first moved: chained through the frames two
    at a time, each step an affine warp found by ECC (which fits a gain and an offset: a
    light changing) from the step before, a phase correlation or none, then refined from the
    first to the last; the correlation of their fine detail (a blur of sigma 3 taken off)
    there, and the share of the last frame the first covers. None where a step correlates
    under `least_step` (the chain broken: a whole frame changing), where the chain moves the
    picture so far that the ends share less than half of `least_share` of it, or an end is
    flat.

    A dissolve's, wipe's or fade's ends are two shots (the development sets' true gradual
    spans correlated 0.54 at most over 0.6 of the frame, a footage's title fading in and out
    on one picture 0.83); one shot's, moved and lit otherwise, 0.94-0.99. Most false spans
    found over a moving shot's light change move the picture too far to compare its ends."""
    import cv2

    if len(frames) < 3:
        return None
    greys = [
        cv2.GaussianBlur(cv2.cvtColor(f, cv2.COLOR_BGR2GRAY).astype(np.float32), (5, 5), 0)
        for f in frames
    ]
    if min(float(greys[0].std()), float(greys[-1].std())) < 2.0:
        return None  # a fade's black or white: no picture to register
    height, width = greys[0].shape

    def ecc(template: np.ndarray, moved: np.ndarray, warp: np.ndarray, steps: int):
        criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, steps, 1e-4)
        try:
            return cv2.findTransformECC(
                template, moved, warp.astype(np.float32), cv2.MOTION_AFFINE, criteria, None, 1
            )
        except cv2.error:  # no convergence
            return -1.0, warp

    chain, last_step, k = np.eye(3), None, 0
    while k < len(greys) - 1:
        n = min(k + 2, len(greys) - 1)
        (dx, dy), _ = cv2.phaseCorrelate(greys[k], greys[n])
        starts = [np.array([[1, 0, -dx], [0, 1, -dy]]), np.eye(2, 3)]
        if last_step is not None and n - k == 2:
            starts.insert(0, last_step)
        best, warp = -1.0, starts[0]
        for start in starts:
            ncc, found = ecc(greys[n], greys[k], start, 50)
            if ncc > best:
                best, warp = ncc, found
            if best >= 0.9:
                break
        if best < least_step:
            return None
        chain, last_step, k = chain @ np.vstack([warp, [0, 0, 1]]), warp, n
        # (the picture moved past half of `least_share` out of the frame: no end to compare,
        # nothing more to register; its centre's shift is enough to tell)
        dx, dy = (chain[:2] @ [width / 2, height / 2, 1]) - [width / 2, height / 2]
        if (1 - abs(dx) / width) * (1 - abs(dy) / height) < least_share / 2:
            return None
    first, last = greys[0], greys[-1]
    detail = [g - cv2.GaussianBlur(g, (0, 0), 3) for g in (first, last)]
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    best_fit = None
    ncc, refined = ecc(last, first, chain[:2], 100)
    for warp in (chain[:2], refined) if ncc > 0 else (chain[:2],):
        warp = np.asarray(warp, np.float32)
        moved = cv2.warpAffine(detail[0], warp, (width, height), flags=flags)
        inside = cv2.warpAffine(np.ones_like(first), warp, (width, height), flags=flags) > 0.99
        share = float(inside.mean())
        if share < 0.1:
            continue
        a, b = moved[inside], detail[1][inside]
        if a.std() < 0.5 or b.std() < 0.5:
            continue
        fit = (float(np.corrcoef(a, b)[0, 1]), share)
        if best_fit is None or fit[0] > best_fit[0]:
            best_fit = fit
    return best_fit


def _stepped_shot_across(
    b: Boundary,
    features: BoundaryFeatures,
    decode_window: WindowDecoder,
    frame_s: float,
    config: BoundaryConfig,
) -> bool:
    """The cut `b` is one step of a stepped shot: its step (mean absolute difference of
    consecutive frames at `ZOOM_SIZE`, every channel) at most `refine_stepped_max_ratio` times the
    largest step within `refine_stepped_window_s` before it and the largest after it. Footage
    played slowly holds each frame for several, so its motion comes in steps: round-25 set,
    seed 2501, a rider's leg sweeping past bikes at 0.25x with a lens flare and a light leak
    stepped 1.2-1.6 times its steps either side and passed for three cuts. A cut changes the
    whole picture, a step the part that moved: on every development set the true cuts' steps
    were 3.8 times or more the smaller of the two sides' (a cut into a stepped shot at 0.25x:
    3.8; out of a strobing or stepped shot into a calm one, one side calm: 7.8). Decoded only
    where the analysed thumbnails' steps give at most `refine_stepped_max_tiny_ratio`."""
    most, reach = config.refine_stepped_max_ratio, config.refine_stepped_window_s
    if most is None:
        return False
    if len(features.tinies) == len(features.times_s) > 1:
        # (an analysed frame may stand for a skipped one: the cut's step may come a frame late)
        near = (b.start_s - frame_s / 2, b.end_s + 2.5 * frame_s)
        tiny = _stepped_ratio(features.times_s, features.tinies, b, near, reach)
        if tiny is None or tiny > config.refine_stepped_max_tiny_ratio:
            return False
    times, frames = decode_window(b.start_s - reach, b.end_s + reach, ZOOM_SIZE)
    near = (b.start_s - 1.5 * frame_s, b.end_s + 1.5 * frame_s)
    ratio = _stepped_ratio(times, frames, b, near, reach)
    return ratio is not None and ratio <= most


def _stepped_ratio(
    times: Sequence[float],
    frames: Sequence[np.ndarray],
    b: Boundary,
    near: tuple[float, float],
    reach: float,
) -> float | None:
    """The largest step of `frames` onto a frame timed within `near` (the cut `b`'s) over the
    smaller of the largest steps within `reach` before and after it; None where a side has
    none."""
    jump, before, after = 0.0, 0.0, 0.0
    seen = [False, False]
    first = max(1, bisect.bisect_left(times, b.start_s - reach))
    for k in range(first, min(len(frames), bisect.bisect_right(times, b.end_s + reach))):
        t = times[k]
        step = float(np.abs(frames[k].astype(np.float32) - frames[k - 1].astype(np.float32)).mean())
        if near[0] <= t <= near[1]:
            jump = max(jump, step)
        elif b.start_s - reach <= t < near[0]:
            before, seen[0] = max(before, step), True
        elif near[1] < t <= b.end_s + reach:
            after, seen[1] = max(after, step), True
    if not all(seen) or jump == 0:
        return None
    return jump / max(min(before, after), 1e-3)


def _cast_apart(first: np.ndarray, last: np.ndarray) -> float:
    """How far apart two BGR frames' colour casts are: the largest change of a channel's
    |log| mean beyond the change of all three's (a white balance's gains, not the light)."""
    logs = [np.log(np.maximum(f.reshape(-1, 3).mean(axis=0), 1.0)) for f in (first, last)]
    change = logs[1] - logs[0]
    return float(np.abs(change - change.mean()).max())


def _no_shot_beyond(
    b: Boundary,
    features: BoundaryFeatures,
    frame_s: float,
    read_span: tuple[float, float],
    config: BoundaryConfig,
) -> bool:
    """A gradual span that reaches to within min_scene_s of the video's last (first) frame, the
    read span's where the video ends (starts) there, enters (leaves) no shot where the frame
    before it (after it) and that last (first) frame are no different shots (as a lag's ends
    are judged) and that frame is not flat (a fade out to or in from black or white): the
    shot beyond it is never seen clean, the span is a moving shot's own change running on to
    the end (round-17 set, seed 1704: a jump in a handheld mandelbrot, 37.16-40.14 s of
    39.48 s). A transition into a last shot that moves on (a pan that brightens) leaves its
    span there too, between different shots: it stands."""
    times, hists, tinies = features.times_s, features.hists, features.tinies
    n = len(times)
    if b.kind != BoundaryKind.GRADUAL or n < 2 or len(tinies) != n or len(hists) != n:
        return False  # (no frames' features kept: nothing to judge it by)
    video_end = read_span[1] - times[-1] > 2 * frame_s  # not a segment's end
    if video_end and b.end_s > times[-1] - config.min_scene_s:
        before = max(0, bisect.bisect_left(times, b.start_s) - 1)
        if not _flat(tinies[-1]) and not _different_shots(hists, tinies, before, n - 1, config):
            return True
    if read_span[0] <= 0 and b.start_s < times[0] + config.min_scene_s:
        after = min(n - 1, bisect.bisect_right(times, b.end_s))
        return not _flat(tinies[0]) and not _different_shots(hists, tinies, 0, after, config)
    return False


def _settled_ends(
    boundaries: list[Boundary], features: BoundaryFeatures, config: BoundaryConfig
) -> list[Boundary]:
    """Each gradual boundary's ends moved out to where the analysed frames settle
    (`_settled_end`), by at most `refine_max_extend_s` and never into a neighbour. A dissolve
    between moving shots ends in frames whose step is the shots' own motion: no run of steps
    marks them, yet they still move towards the new shot (round-18 set, seed 1801: a slow
    fade into a moving film ended 0.5 s early; seed 1802: a 0.56 s fade began 0.16 s late)."""
    times = np.asarray(features.times_s, dtype=np.float64)
    if len(times) < 4 or len(features.tinies) != len(times):
        return boundaries
    out = list(boundaries)
    for k, b in enumerate(boundaries):
        if b.kind != BoundaryKind.GRADUAL:
            continue
        lo_limit = out[k - 1].end_s if k else -math.inf
        hi_limit = boundaries[k + 1].start_s if k + 1 < len(boundaries) else math.inf
        reach = config.refine_max_extend_s
        end_s = _settled_end(
            times, features.tinies, b.end_s, min(hi_limit, b.end_s + reach), config
        )
        start_s = _settled_end(
            times, features.tinies, b.start_s, max(lo_limit, b.start_s - reach), config
        )
        if (start_s, end_s) != (b.start_s, b.end_s):
            index = max(b.index, min(len(times) - 1, int(np.searchsorted(times, end_s - 1e-6))))
            out[k] = Boundary(b.kind, max(0.0, start_s), end_s, index)
    return out


def _settled_end(
    times: np.ndarray,
    tinies: list[np.ndarray],
    edge_s: float,
    limit_s: float,
    config: BoundaryConfig,
) -> float:
    """`edge_s` (a gradual boundary's end, or its start where `limit_s` lies before it) moved
    out to the first analysed frame from which the frames settle: each frame's share of the
    change from the frame `refine_trend_s` inside the edge to the farthest frame within
    `limit_s` + `refine_settle_s` (least squares on the thumbnails) stays within
    `refine_settle_eps` of it for `refine_settle_s`; plus `refine_faint_s` (the transition's
    last frames hardly change). The change must be at least `refine_settle_min_change` (RMS)
    and the frames on the way blends of the first and the settled one (median residual at
    most `refine_settle_max_residual`), going on the way the frames inside went (cosine at
    least `refine_settle_min_cos`). A shot that keeps moving never settles, one that
    slows down passes through no blends: the edge stays."""
    out = 1.0 if limit_s >= edge_s else -1.0
    settle = config.refine_settle_s
    if out > 0:
        inner = int(np.searchsorted(times, edge_s - config.refine_trend_s, side="right")) - 1
        far = int(np.searchsorted(times, limit_s + settle, side="right")) - 1
    else:
        inner = int(np.searchsorted(times, edge_s + config.refine_trend_s))
        far = int(np.searchsorted(times, limit_s - settle))
    inner = min(max(inner, 0), len(times) - 1)
    far = min(max(far, 0), len(times) - 1)
    order = list(range(inner, far + 1)) if out > 0 else list(range(inner, far - 1, -1))
    if len(order) < 4:
        return edge_s
    flat = [tinies[i].astype(np.float32).ravel() for i in order]  # each frame converted once
    first = flat[0]
    change = flat[-1] - first
    norm2 = float(change @ change)
    if math.sqrt(norm2 / len(change)) < config.refine_settle_min_change:
        return edge_s
    shares = np.array([(f - first) @ change / norm2 for f in flat])
    away = out * (times[order] - edge_s)
    for j in range(1, len(order)):
        if away[j] - away[-1] > -settle + 1e-6:
            break  # too near the far frame to see it settle
        run = away - away[j] <= settle + 1e-6
        run[:j] = False
        if np.all(np.abs(shares[run] - shares[j]) <= config.refine_settle_eps):
            if away[j] <= 0 or away[j] > limit_s * out - edge_s * out + 1e-6:
                return edge_s
            # The frames on the way are blends of where they start and settle: a pan or zoom
            # that slows down passes through views that are none.
            blend = _blend_shares(flat[: j + 1])
            if blend is None or float(np.median(blend[1])) > config.refine_settle_max_residual:
                return edge_s
            # ... and go on the way the span's last frames went (cosine of the change up to the
            # edge and on from it): a transition still under way at the edge, not a shot that
            # stood still there and moves after.
            # (and by more than three times the settled frames' tolerance: they moved on).
            k = int(np.argmin(np.abs(away)))
            if shares[j] - shares[k] <= 3 * config.refine_settle_eps:
                return edge_s
            before = flat[k] - first
            after = flat[j] - first - before
            norms = float(np.linalg.norm(before) * np.linalg.norm(after))
            if norms < 1e-6 or float(before @ after) / norms < config.refine_settle_min_cos:
                return edge_s
            return float(times[order[j]]) + out * config.refine_faint_s
    return edge_s


def _fade_ramps(
    boundaries: list[Boundary],
    features: BoundaryFeatures,
    frame_s: float,
    config: BoundaryConfig,
    read_span: tuple[float, float],
) -> list[Boundary]:
    """Each boundary grown over a fade of the footage's own that runs into it or out of it
    (`_fade_ramp` on the analysed frames, each side up to the neighbouring boundary): a slow
    fade's first frames change less than a shot's noise (next set, seed 801: the plane film's
    3.3 s fade to black, its span started 1.5 s late), and a cut can open on a fade in from
    black (round-15 set, seed 1501: the clip after the cut held the fade's 0.9 s)."""
    times = np.asarray(features.times_s, dtype=np.float64)
    if len(times) < 4:
        return boundaries
    pad = config.refine_margin_frames * frame_s + config.refine_faint_s
    out = list(boundaries)
    for k, b in enumerate(out):
        if b.kind not in (BoundaryKind.CUT, BoundaryKind.GRADUAL):
            continue  # a segment's border is no shot change
        lo_s = out[k - 1].end_s if k else read_span[0]
        hi_s = out[k + 1].start_s if k + 1 < len(out) else read_span[1]
        start_s, end_s = b.start_s, b.end_s
        before = int(np.searchsorted(times, b.start_s)) - 1  # the last frame before the span
        stop = int(np.searchsorted(times, lo_s, side="right"))
        first = _fade_ramp(times, features.tinies, before, -1, stop, config)
        if first is not None:
            start_s = max(lo_s, min(start_s, float(times[first]) - pad))
        after = int(np.searchsorted(times, b.end_s - 1e-6))  # the first frame after it
        stop = int(np.searchsorted(times, hi_s)) - 1
        last = _fade_ramp(times, features.tinies, after, 1, stop, config)
        if last is not None:
            end_s = min(hi_s, max(end_s, float(times[last]) + pad))
        if (start_s, end_s) != (b.start_s, b.end_s):
            index = max(b.index, min(int(np.searchsorted(times, end_s - 1e-6)), len(times) - 1))
            out[k] = Boundary(BoundaryKind.GRADUAL, start_s, end_s, index)
    return out


def _fade_ramp(
    times: np.ndarray,
    tinies: list[np.ndarray],
    edge: int,
    direction: int,
    stop: int,
    config: BoundaryConfig,
) -> int | None:
    """The outermost frame from `edge` (a span's first frame outside it) in `direction` (up to
    frame `stop`) that a fade to or from a flat picture still changes, or None where no fade
    runs there. A fade scales the picture about the flat level (black or white): outwards,
    each group of refine_trend_s moves the mean away from that level by fade_min_rate a second
    or more while the contrast (std) keeps its proportion to that distance as at `edge` (within
    fade_contrast_tol, from 20 grey levels off the flat one: darker, noise; a dip shifts the
    picture and keeps its contrast; a pan brightening as it turns drifts by more: bikes.mp4,
    3.5 % in 0.1 s), and its structure (correlation with `edge`'s from fade_min_ncc: the
    fades 0.994 and more; the Game of Life growing after a cut, brightening as a fade does,
    -0.66 to 0.8). In the group where the ramp stops, the frames still moving by half the
    last group's rate."""
    n = len(tinies)
    if not 0 <= edge < n or not 0 <= stop < n or (stop - edge) * direction < 2:
        return None
    span = range(edge, stop + direction, direction)
    k = max(2, round(config.refine_trend_s / float(np.median(np.diff(times)))))
    if len(span) <= k:
        return None
    means: dict[int, float] = {}
    stds: dict[int, float] = {}
    for j in span[: k + 1]:
        means[j], stds[j] = float(tinies[j].mean()), float(tinies[j].std())
    group = list(span[1 : k + 1])
    # The flat level: a fade to black darkens and flattens together, one to white brightens
    # as it flattens; outwards, away from the flat picture, the contrast grows.
    rise, grow = means[group[-1]] - means[edge], stds[group[-1]] - stds[edge]
    if grow <= 0 or rise == 0:
        return None
    level = 0.0 if rise > 0 else 255.0

    def far(j: int) -> float:
        if j not in means:  # read as the walk reaches it
            means[j], stds[j] = float(tinies[j].mean()), float(tinies[j].std())
        return abs(means[j] - level)

    def ratio(j: int) -> float | None:
        d = far(j)
        return stds[j] / d if d >= 20.0 else None  # near the flat level: noise

    def step(j: int) -> float:  # away from the flat level, a second
        dt = abs(times[j] - times[j - direction])
        return (far(j) - far(j - direction)) / max(dt, 1e-6)

    m, rate, ref = edge, 0.0, ratio(edge)
    while True:
        group = list(span[abs(m - edge) + 1 : abs(m - edge) + 1 + k])
        group = [j for j in group if abs(times[j] - times[edge]) <= config.fade_max_s]
        if not group:
            return m if m != edge else None
        # outwards: away from the flat level, a second
        now = (far(group[-1]) - far(m)) / max(abs(times[group[-1]] - times[m]), 1e-6)
        r = ratio(group[-1])
        if ref is None:
            ref = r
        kept = r is None or ref is None or abs(r - ref) <= config.fade_contrast_tol * ref
        kept = kept and _ncc(tinies[edge], tinies[group[-1]]) >= config.fade_min_ncc
        if now < config.fade_min_rate or not kept:
            for j in group:  # frames of the last group still on the ramp
                if not rate or step(j) < rate / 2:
                    break
                m = j
            return m if m != edge else None
        m, rate = group[-1], now
        while m != edge and step(m) < rate / 2:  # the group's last frames already clean
            m -= direction


@functools.cache
def _grid(height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column numbers of a frame's pixels 2 or more from its border."""
    ys, xs = np.mgrid[2 : height - 2, 2 : width - 2].astype(np.float32)
    return ys, xs


def _zoom_step(before: np.ndarray, now: np.ndarray) -> tuple[float, float, float] | None:
    """The zoom about the centre and shift (scale, dx, dy) that warp `before` into `now` (grey,
    float32): `now` at x is `before` at centre + scale * (x - centre) + (dx, dy), fitted by
    Gauss-Newton on the pixels' brightness (the gradients of `now`, away from the border). One
    scale for both axes: an affine warp (ECC) of a picture of vertical stripes stretched it
    along them at will. None where there is nothing to fit (a flat frame)."""
    import cv2

    height, width = now.shape
    cx, cy = (width - 1) / 2, (height - 1) / 2
    ys, xs = _grid(height, width)
    gx = cv2.Sobel(now, cv2.CV_32F, 1, 0, ksize=3)[2:-2, 2:-2] / 8
    gy = cv2.Sobel(now, cv2.CV_32F, 0, 1, ksize=3)[2:-2, 2:-2] / 8
    jac = np.stack([gx * (xs - cx) + gy * (ys - cy), gx, gy]).reshape(3, -1).astype(np.float64)
    normal = jac @ jac.T
    if abs(np.linalg.det(normal)) < 1e-9 * max(float(np.trace(normal)), 1e-9) ** 3:
        return None
    solve = np.linalg.inv(normal) @ jac
    target = now[2:-2, 2:-2].ravel()
    scale, dx, dy = 1.0, 0.0, 0.0
    for _ in range(ZOOM_ITERATIONS):
        warp = np.array(
            [[scale, 0, cx * (1 - scale) + dx], [0, scale, cy * (1 - scale) + dy]], np.float32
        )
        flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
        warped = cv2.warpAffine(
            before, warp, (width, height), flags=flags, borderMode=cv2.BORDER_REPLICATE
        )
        ds, ddx, ddy = solve @ (target - warped[2:-2, 2:-2].ravel())
        scale, dx, dy = scale + ds, dx + ddx, dy + ddy
        if abs(ds) < 1e-3 and abs(ddx) < 0.05 and abs(ddy) < 0.05:
            break
    return scale, dx, dy


def _zoom_chain(
    frames: list[np.ndarray], most: float, broken: float = 0.0, residual: float = 1.0
) -> np.ndarray | None:
    """The warp (3x3, of the last frame's points onto the first's) that chains the frames
    (BGR) step by step (`_zoom_step`), each step within `most` in scale or in shift as a share
    of the width; None where a frame is flat (no structure to follow) or more than `broken` of
    the steps find no such warp (not one smooth motion); up to that many count as none. With
    `residual` under 1, also None where the steps' warps leave more than that of their change
    (RMS, the median over the steps that change) unexplained: a zoom's warp explains most of
    its step, a wipe's edge none of it."""
    import cv2

    greys = [
        cv2.GaussianBlur(cv2.cvtColor(f, cv2.COLOR_BGR2GRAY).astype(np.float32), (3, 3), 0)
        for f in frames
    ]
    if len(greys) < 3 or min(float(g.std()) for g in greys) < 1.0:
        return None
    height, width = greys[0].shape
    centre = np.array([[1, 0, (width - 1) / 2], [0, 1, (height - 1) / 2], [0, 0, 1]])
    chain = np.eye(3)
    skipped = 0
    left: list[float] = []  # each step's change its warp leaves, as a share of the change
    for before, now in itertools.pairwise(greys):
        step = _zoom_step(before, now)
        if (
            step is None
            or abs(math.log(max(step[0], 1e-6))) > math.log(1 + most)
            or (max(abs(step[1]), abs(step[2])) > most * width)
        ):
            skipped += 1
            if skipped > broken * (len(greys) - 1):
                return None
            continue
        scale, dx, dy = step
        warp = np.array([[scale, 0, dx], [0, scale, dy], [0, 0, 1]])
        chain = chain @ centre @ warp @ np.linalg.inv(centre)
        if residual < 1.0:
            change = _rms(before[2:-2, 2:-2], now[2:-2, 2:-2])
            if change >= 0.5:
                flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
                moved = cv2.warpAffine(
                    before,
                    (centre @ warp @ np.linalg.inv(centre))[:2].astype(np.float32),
                    (width, height),
                    flags=flags,
                    borderMode=cv2.BORDER_REPLICATE,
                )
                left.append(_rms(moved[2:-2, 2:-2], now[2:-2, 2:-2]) / change)
    if residual < 1.0 and (not left or float(np.median(left)) > residual):
        return None
    return chain


def _zoom_of(chain: np.ndarray | None) -> float:
    """How much the last frame is zoomed in on the first (below 1: out), 1 without a chain."""
    if chain is None:
        return 1.0
    return max(abs(float(np.linalg.det(chain[:2, :2]))), 1e-12) ** -0.5


def _camera_zoom(
    times: np.ndarray,
    tinies: list[np.ndarray],
    decode_window: WindowDecoder,
    t0: float,
    t1: float,
    config: BoundaryConfig,
    two_shots: bool = False,
) -> bool:
    """The full-rate frames in [t0, t1] (a refined span and the frame before it; `times` and
    `tinies` of a window around it) are one shot that the camera zooms in or out: each frame
    an affine warp of the one before (within `refine_zoom_max_step`), together a zoom by
    `refine_zoom_min_scale` or more, on the thumbnails and again on the frames decoded anew at
    `ZOOM_SIZE` (chained at half that),
    and the last of those is the first so warped. A dissolve's, fade's or wipe's frames warp by
    next to nothing, a slide's by a shift alone; the last frame of any is another picture. (On
    the thumbnails alone a 2.5x zoom's last frame hardly correlated with the first scaled: 0.65,
    transitions 0.55-0.99.) The thumbnails' chain spares the decode for nearly every span.
    With `two_shots` (the analysed frames around the span are different shots), a broken chain
    needs the correlation of an unbroken one."""
    import cv2

    least = math.log(config.refine_zoom_min_scale)
    most = config.refine_zoom_max_step
    # A chain that breaks at a few steps (up to refine_zoom_max_broken of them: something
    # walking into the picture as the camera zooms, its steps no zoom) counts without them,
    # its last frame then correlating with the first warped from refine_zoom_broken_min_ncc;
    # between different shots, so weak a likeness is no evidence (`refine_zoom_broken_one_shot`).
    least_ncc = config.refine_zoom_min_ncc
    broken_ncc = least_ncc if two_shots else config.refine_zoom_broken_min_ncc
    # (every other frame: half the cost, the steps still small)
    span = [f for t, f in zip(times, tinies, strict=True) if t0 <= t <= t1]
    if len(span) < 2:  # a span squeezed to nothing by an exact one beside it (a swap's)
        return False
    thumbs = [*span[:-1:2], span[-1]]
    chain = _zoom_chain(thumbs, 2 * most)
    left = config.refine_zoom_broken_max_residual
    if chain is None and config.refine_zoom_max_broken > 0:
        least_ncc = broken_ncc
        # every frame: a fast zoom's steps halved
        chain = _zoom_chain(span, 2 * most, config.refine_zoom_max_broken, left)
    if abs(math.log(_zoom_of(chain))) < least:
        return False
    frame_times, frames = decode_window(t0, t1, ZOOM_SIZE)
    half = (ZOOM_SIZE[0] // 2, ZOOM_SIZE[1] // 2)
    small = [cv2.resize(f, half, interpolation=cv2.INTER_AREA) for f in frames]
    greys = [cv2.cvtColor(f, cv2.COLOR_BGR2GRAY).astype(np.float32) for f in frames]
    # A fast zoom's steps pass `most` (3x in half a second: 9 % a frame at 25 fps): chained
    # again within refine_zoom_fast_step (round-17 set, seed 1701, a 3x zoom into a handheld
    # noise texture, 2.7x chained on the thumbnails, its every step at 64x36 past 0.1).
    bounds = [most, max(most, config.refine_zoom_fast_step)]

    def warps(a: int, b: int, ncc: float, most_broken: float) -> tuple[np.ndarray | None, float]:
        """The chain of frames a..b (at half ZOOM_SIZE) and the correlation it needs (`ncc`
        for an unbroken one), broken at up to `most_broken` of its steps."""
        for m, broken in itertools.product(bounds, (0.0, most_broken)):
            part = small[a : b + 1]
            if broken:
                chain = _zoom_chain(part, m, broken, left)
            else:  # (a piece's warps must explain its steps, as a broken chain's do)
                chain = _zoom_chain(part, m, residual=left if not most_broken else 1.0)
            if chain is not None:
                return chain, broken_ncc if broken else ncc
        return None, ncc

    chain, need = warps(0, len(small) - 1, least_ncc, config.refine_zoom_max_broken)
    scale = _zoom_of(chain)
    if chain is None or abs(math.log(scale)) < least:
        return False
    if _warped_ncc(greys[0], greys[-1], chain, half) >= need:
        return True
    # The first and last frames of a long span drift apart (a handheld camera, a texture that
    # changes by itself): the zoom also counts where each piece of refine_zoom_piece_s of the
    # span warps its first frame into its last so, unbroken (a wipe's or dissolve's piece does
    # not; moving-edge set, seed 29: a 2 s cover's pieces chained 0.33x, broken, one 0.62).
    piece_s = config.refine_zoom_piece_s
    if not piece_s or frame_times[-1] - frame_times[0] <= piece_s:
        return False
    ends = np.searchsorted(frame_times, np.arange(frame_times[0], frame_times[-1], piece_s))
    ends = [*ends.tolist(), len(frames) - 1]
    for a, b in itertools.pairwise(ends):
        if b - a < 2:
            continue
        chain, need = warps(a, b, config.refine_zoom_min_ncc, 0.0)
        if chain is None or _warped_ncc(greys[a], greys[b], chain, half) < need:
            return False
    return True


def _warped_ncc(
    first: np.ndarray, last: np.ndarray, chain: np.ndarray, half: tuple[int, int]
) -> float:
    """The correlation of the frame zoomed into (grey, ZOOM_SIZE; wholly inside the other)
    with the other warped onto it by `chain` (of the frames at `half` that size); -1 where
    too little of it lies inside or either is flat."""
    import cv2

    chain = chain.copy()
    chain[:2, 2] *= first.shape[1] / half[0]
    inner, outer, warp = last, first, chain[:2]
    if _zoom_of(chain) < 1:
        inner, outer, warp = first, last, np.linalg.inv(chain)[:2]
    height, width = inner.shape
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    warped = cv2.warpAffine(outer, warp, (width, height), flags=flags)
    inside = cv2.warpAffine(np.ones_like(outer), warp, (width, height), flags=flags) > 0.99
    if inside.mean() < 0.5:
        return -1.0
    a, b = warped[inside], inner[inside]
    if a.std() < 1.0 or b.std() < 1.0:
        return -1.0
    return float(np.corrcoef(a, b)[0, 1])


def _changes_shot(
    features: BoundaryFeatures, start_s: float, end_s: float, config: BoundaryConfig
) -> bool:
    """The analysed frames just before `start_s` and after `end_s` (a run of fast full-rate
    frames that a hard cut was found in) are different shots, as a slide's or a wipe's ends
    are. A swing of a handheld camera keeps its scene's structure: seen through reference
    frames only (two frames a step), its fastest step passed the content threshold
    (cockatoo.mp4 re-encoded with B-frames: 31.6 at 3.6 s, 17-22 a step at full rate)."""
    times = features.times_s
    before = max(0, bisect.bisect_left(times, start_s) - 1)
    after = min(len(times) - 1, bisect.bisect_right(times, end_s))
    return _different_shots(features.hists, features.tinies, before, after, config)


def _pinned_cut(
    b: Boundary,
    times: list[float],
    tinies: list[np.ndarray],
    t0: float,
    t1: float,
    frame_s: float,
    config: BoundaryConfig,
) -> Boundary:
    """The hard cut `b` between the analysed frames at `t0` and `t1` pinned to the full-rate
    frame (`times`, `tinies`) that makes it: one step that dwarfs the others there (each under
    `refine_cut_max_other` of it; a frame blended by a rate conversion, a step of at least 0.3
    of it beside the jump, is cut out with it). `b` as it is otherwise."""
    inside = [m for m, t in enumerate(times) if t0 - frame_s / 4 <= t <= t1 + frame_s / 4]
    if len(inside) < 3:
        return b
    ks = inside[1:]
    steps = np.array([_rms(tinies[m - 1], tinies[m]) for m in ks])
    top = int(np.argmax(steps))
    big = float(steps[top])
    jump = [j for j in (top - 1, top, top + 1) if 0 <= j < len(ks) and steps[j] >= 0.3 * big]
    others = [float(v) for j, v in enumerate(steps) if j not in jump]
    if big <= 0 or (others and max(others) > config.refine_cut_max_other * big):
        return b
    # The scene before ends at the first frame of the jump (a blended frame is no shot's);
    # the next starts at its last.
    start_s, end_s = float(times[ks[min(jump)]]), float(times[ks[max(jump)]])
    return Boundary(b.kind, start_s, end_s, b.index)


def window_decoder(
    path: str,
    start_time_s: float,
    rotation_deg: int,
    allowed_formats: tuple[str, ...] = (),
    skip_nonref: bool = False,
    box: tuple[float, float, float, float] | None = None,
    seek: bool = True,
) -> WindowDecoder:
    """A `WindowDecoder` over `path`: seeks to the keyframe before the window (from the start
    where not `seek`: a source whose read stopped at an error, e.g. a second capture joined on
    whose clock starts over, where a seek by time lands in the wrong capture), decodes only
    reference frames up to shortly before it (when `skip_nonref`), then every frame, and
    returns their times and 32x18 upright thumbnails; with `box` ((x0, y0, x1, y1) fractions
    of the upright frame: the picture inside black bars, `PictureBars.fraction`), of the
    picture inside it (the frame scaled so that it is 32x18, then cut out: a bar's quarter of
    the frame held a letterboxed transition's steps to 3/4 and its colour trend flat).
    """

    def decode(
        t0: float, t1: float, size: tuple[int, int] = TINY_SIZE
    ) -> tuple[list[float], list[np.ndarray]]:
        import av
        from av.video.reformatter import VideoReformatter

        from transforms.media import file_url, open_options, rotate_image, seek_before

        # One swscale context for the window (`frame.reformat` builds and frees one per frame);
        # the same arguments, so the same pixels.
        to_tiny = VideoReformatter()
        times: list[float] = []
        tinies: list[np.ndarray] = []
        out_size = size
        if box is not None:  # the frame at the size where the picture inside is `size`
            x0, y0, x1, y1 = box
            size = (round(out_size[0] / (x1 - x0)), round(out_size[1] / (y1 - y0)))
        size = size[::-1] if rotation_deg in (90, 270) else size
        options = open_options(list(allowed_formats)) if allowed_formats else {}
        with av.open(file_url(path), options=options) as container:
            stream = container.streams.video[0]
            # No deblocking: 32x18 thumbnails average 10-40 pixels a side, where a block edge's
            # filtering does not show. No frame threads: with skip_frame switched mid-stream they
            # decoded a different set of frames from run to run.
            stream.codec_context.options = {"skip_loop_filter": "all"}
            base = float(stream.time_base)
            skipping = skip_nonref
            if skipping:
                stream.codec_context.skip_frame = "NONREF"
            if t0 > 0 and seek:
                seek_before(container, stream, t0, start_time_s)
            last_t = -math.inf
            try:
                for packet in container.demux(stream):
                    # Frames leave the decoder a few packets late (reordering): switch to
                    # every frame well before the window.
                    pts = packet.pts
                    if skipping and pts is not None and pts * base - start_time_s >= t0 - 0.5:
                        stream.codec_context.skip_frame = "DEFAULT"
                        skipping = False
                    for frame in packet.decode():
                        if frame.pts is None:
                            continue
                        t_s = float(frame.pts * base) - start_time_s
                        if t_s <= last_t or t_s < t0 - 1e-6:
                            continue
                        if t_s > t1:
                            return times, tinies
                        last_t = t_s
                        tiny = to_tiny.reformat(
                            frame,
                            width=size[0],
                            height=size[1],
                            format="bgr24",
                            interpolation="AREA",
                        ).to_ndarray()
                        tiny = rotate_image(tiny, rotation_deg)
                        if box is not None:
                            tiny = crop_picture(tiny, box, out_size)
                        times.append(t_s)
                        tinies.append(tiny)
            except av.FFmpegError:
                pass  # a damaged window: what decoded is what there is
        return times, tinies

    return decode


def crop_picture(
    image: np.ndarray, box: tuple[float, float, float, float], size: tuple[int, int] = TINY_SIZE
) -> np.ndarray:
    """The `size` (32x18) picture inside `box` ((x0, y0, x1, y1) fractions of `image`, scaled
    so that it is about that size)."""
    height, width = image.shape[:2]
    top = min(round(box[1] * height), height - size[1])
    left = min(round(box[0] * width), width - size[0])
    return np.ascontiguousarray(image[top : top + size[1], left : left + size[0]])


def _steps(tinies: list[np.ndarray]) -> np.ndarray:
    """Each frame's change from the frame before (RMS of the thumbnails; 0 for the first)."""
    step = np.zeros(len(tinies))
    step[1:] = [_rms(tinies[m - 1], tinies[m]) for m in range(1, len(tinies))]
    return step


def _band_steps(tinies: list[np.ndarray]) -> np.ndarray:
    """Each frame's largest change from the frame before within one row or one column of the
    thumbnails (RMS; 0 for the first): an edge or a thin strip of one shot at the frame's
    border changes a band of it, which the whole frame's step (`_steps`) averages away."""
    frames = np.stack(tinies).astype(np.float32)
    diff2 = np.zeros(frames.shape[:3], dtype=np.float32)
    diff2[1:] = ((frames[1:] - frames[:-1]) ** 2).mean(-1)
    return np.sqrt(np.maximum(diff2.mean(2).max(1), diff2.mean(1).max(1)))


def _own_motion(times: np.ndarray, step: np.ndarray, start_s: float, end_s: float) -> bool:
    """A run of large steps (`_fast_run`) that is the shot's own motion (a violent shake), not
    a transition: no calm shot on either side, every side with frames outside the run steps at
    least half as much as the run does (a slide or wipe leaves one shot at least calmer)."""
    inside = step[(times > start_s) & (times < end_s)]
    sides = [step[1:][times[1:] < start_s], step[times > end_s]]
    sides = [side for side in sides if len(side) >= 3]
    if not len(inside):
        return False
    run = float(np.median(inside[inside > 0.5])) if np.any(inside > 0.5) else 0.0
    return all(_shot_step(side) >= 0.5 * run for side in sides)


def _fast_run(
    times: np.ndarray, step: np.ndarray, cut_s: float, frame_s: float
) -> tuple[float, float] | None:
    """The run of full-rate frames around a hard cut at `cut_s` whose steps (`_steps`) are each
    at least half the cut's own (a repeated frame may interrupt it): a slide or wipe seen at its
    steepest step. None when the run is shorter than 3 frames (a hard cut)."""
    n = len(times)
    near = np.flatnonzero(np.abs(times - cut_s) <= 3 * frame_s + 1e-6)
    if not len(near):
        return None
    jump_i = int(near[np.argmax(step[near])])
    high = step >= 0.5 * step[jump_i]
    first = last = jump_i
    while first - 1 >= 1 and (high[first - 1] or (first - 2 >= 1 and high[first - 2])):
        first -= 1
    while last + 1 < n and (high[last + 1] or (last + 2 < n and high[last + 2])):
        last += 1
    if last - first + 1 < 3:
        return None
    # Frame `first` is the first changed frame, `first - 1` the last clean one.
    return float(times[first - 1]) + frame_s / 2, float(times[last]) + frame_s / 2


def _step_limit(shot_step: float, config: BoundaryConfig) -> float:
    """A transition's step next to a shot whose own step is `shot_step`: refine_rise times
    it plus refine_floor; next to a still shot (no step), from a small fraction of that on."""
    floor = min(config.refine_floor, max(config.refine_still_floor, 4 * shot_step))
    return shot_step * config.refine_rise + floor


def _shot_step(steps: np.ndarray) -> float:
    """A shot's own step between frames: the median of the half of `steps` farthest from the
    transition (they come ordered nearest first), leaving out repeated frames (a step of
    about 0, as a frame-rate conversion makes) when most frames move; or of the nearer half
    when that is lower (a burst of motion in the farther half, a transition's tail in the
    nearer one: the lower of the two is the calm shot)."""

    def median(part: np.ndarray) -> float:
        moving = part[part > 0.5]
        if len(moving) >= max(2, len(part) / 2):
            return float(np.median(moving))
        return float(np.median(part)) if len(part) else math.inf

    half = len(steps) // 2
    own = min(median(steps[half:]), median(steps[:half]))
    return own if own < math.inf else 0.0


def _refined_span(
    times: np.ndarray,
    tinies: list[np.ndarray],
    step: np.ndarray,
    start_s: float,
    end_s: float,
    frame_s: float,
    config: BoundaryConfig,
    shrink: float | None = None,
) -> tuple[float, float, float, float]:
    """(start_s, end_s) grown over the run of frames that change more than the shots do
    (`step`: `_steps(tinies)`), and the same span with its ends moved in where `shrink`
    (seconds) allows: an end whose transition's first (last) fast step lies in the span's
    nearer half, `shrink` or more inside it with the frames between as calm as the shot
    outside (`_calm_until`), moves in to that step (the coarse end was a lag window's, its
    scans finding no clean frame in a moving shot)."""
    n = len(times)
    margin = config.refine_margin_frames * frame_s
    # Where no run of fast-changing frames marks an end (a fade into a shot that moves as
    # fast), that end is uncertain: it moves out by a share of the span.
    uncertain = min(config.refine_uncertain_frac * (end_s - start_s), config.refine_uncertain_s)
    i_s = int(np.searchsorted(times, start_s))  # first frame of the coarse span
    i_e = int(np.searchsorted(times, end_s))  # first frame after it
    # The first and last frames of a transition change too little to see at 32x18 (a circle
    # or soft edge a few pixels wide, an eased blend): an end found on the frames moves out by
    # refine_faint_s more; an uncertain one by at least that.
    faint = config.refine_faint_s
    new_start, new_end = start_s - max(uncertain, faint), end_s + max(uncertain, faint)
    sure_end = False  # a run of fast frames (or a ramp in the span) marks the end
    # A transition's frame changes fast as a whole, or in one row or column (`_band_steps`: a
    # reveal's or cover's last thin strip at the frame's border changes too little of the
    # whole to stand out from a moving shot's own steps). The shot's own band steps are
    # measured beyond the run of fast whole-frame steps (a late coarse end leaves the run's
    # frames in the near half of the window's rest, its thin-strip tail in the far half too).
    band = _band_steps(tinies) if config.refine_band else None

    # A transition through a flat picture (a rectcrop's black middle) holds still there: up to
    # refine_flat_gap_s of flat frames, fast ones beyond, do not end the run (round-26 set,
    # seed 2603: 0.2 s black in a 2 s rectcrop, its last 0.65 s leaked).
    flat = [_flat(t) for t in tinies] if config.refine_flat_gap_s > 0 else [False] * n

    def flat_gap(m: int, way: int) -> int | None:
        """The frame past the flat run from `m` (`way` -1 back, 1 on), if short enough."""
        k = m
        while 0 <= k < n and flat[k] and abs(times[k] - times[m]) <= config.refine_flat_gap_s:
            k += way
        return k if k != m and 0 <= k < n and not flat[k] else None

    def walk_back(fast: np.ndarray) -> int:
        m = i_s  # frame i_s is in the span; walk back while the frames keep changing fast
        while m - 1 >= 1 and start_s - times[m - 1] <= config.refine_max_extend_s:
            if fast[m - 1] or (m - 2 >= 1 and fast[m - 2]):
                m -= 1
            elif (k := flat_gap(m - 1, -1)) is not None and k >= 1 and fast[k]:
                m = k
            else:
                break
        return m

    def walk_on(fast: np.ndarray) -> int | None:
        m = i_e  # the first frame after the coarse span
        last = None
        while m < n and times[m] - end_s <= config.refine_max_extend_s:
            if fast[m]:
                last = m
            elif (k := flat_gap(m, 1)) is not None and fast[k]:
                m = k
                continue
            elif not (m + 1 < n and fast[m + 1]):
                break
            m += 1
        return last

    # Before: the old shot's own steps (from the far half: the coarse start may be late and
    # the frames next to it the transition's).
    shrunk_start = shrunk_end = None  # the frames an end moved in to, and its new time
    # An end moved in to a contrast dip's rim (`_calm_until`) is read on the blend as a whole,
    # its faint last frames too: it and the trend followed from it get no refine_faint_s.
    faint_in_start = faint_in_end = faint
    in_start = in_end = None
    if i_s >= 4:
        limit = _step_limit(_shot_step(step[i_s - 1 : 0 : -1]), config)
        m = walk_back(step > limit)
        if band is not None and m - 2 >= 1:
            band_limit = _step_limit(_shot_step(band[m - 2 : 0 : -1]), config)
            m = walk_back((step > limit) | (band > band_limit))
        # step[m] > limit means frame m differs from m-1 by a transition's step: m is the
        # first changed frame (if the walk moved at all).
        first_high = None
        if m < i_s:
            first_high = m
        elif np.any(high := step[i_s : (i_s + i_e) // 2 + 1] > limit):
            # The change starts in the span's first half, from a calm shot: at its first
            # changed frame, less the margins.
            first_high = i_s + int(np.argmax(high))
        if first_high is not None:
            first = _ramp_end(step, first_high, -1, step[i_s - 1 : 0 : -1], times, config)
            new_start = min(start_s, float(times[first]) - margin) - faint
            if m == i_s and shrink:
                before = slice(i_s - 1, 0, -1)
                half = (i_s, (i_s + i_e) // 2 + 1)
                cut, rim = _moved_in(step, band, tinies, times, *half, before, limit, -1, config)
                if times[cut] - start_s >= shrink:
                    faint_in_start = 0.0 if rim else faint
                    in_start = float(times[cut]) - margin - faint_in_start
                    shrunk_start = cut
    if n - i_e >= 4:
        limit = _step_limit(_shot_step(step[i_e + 1 :]), config)
        last = walk_on(step > limit)
        beyond = (i_e if last is None else last + 1) + 1
        if band is not None and n - beyond >= 4:
            band_limit = _step_limit(_shot_step(band[beyond:]), config)
            last = walk_on((step > limit) | (band > band_limit))
        # Frame `last` still changed by a transition's step from the one before: it may be
        # the first clean frame of the new shot or a transition frame.
        inside = False
        if last is None and np.any(high := step[(i_s + i_e) // 2 + 1 : i_e] > limit):
            # The change ends in the span's second half, into a calm shot: past its last
            # changed frame by the margins.
            last = (i_s + i_e) // 2 + 1 + int(np.flatnonzero(high)[-1])
            inside = True
        if last is not None:
            last = _ramp_end(step, last, 1, step[i_e + 1 :], times, config)
            new_end = max(end_s, float(times[last]) + margin) + faint
            if inside and shrink:
                half = ((i_s + i_e) // 2 + 1, i_e)
                cut, rim = _moved_in(
                    step, band, tinies, times, *half, slice(i_e + 1, None), limit, 1, config
                )
                if end_s - times[cut] >= shrink:
                    faint_in_end = 0.0 if rim else faint
                    in_end = float(times[cut]) + margin + faint_in_end
                    shrunk_end = cut
            sure_end = True
    # A blend's mean colour moves steadily from one shot's to the other's (a dissolve between a
    # still and a moving shot, a fade in from black into fast motion): the end also moves out
    # over the frames that keep that trend.
    # So does its contrast (the grey's standard deviation), where the mean colour is the
    # shots' own: a dissolve from a near-flat shot into a textured one, both moving (round-17
    # set, seed 1701: a 2 s dissolve's contrast rises 4 -> 51 to its last frame, while the new
    # shot's pan carries the mean on past it; the span ended 0.88 s early).
    means = np.array([t.reshape(-1, 3).mean(0) for t in tinies], dtype=np.float64)
    trends = [means]
    if config.refine_trend_contrast:
        trends.append(np.array([[_contrast(t)] for t in tinies], dtype=np.float64))
    k = max(2, round(config.refine_trend_s / frame_s))
    # An uncertain end moved out may land where the blend's mean only starts to move (round-16
    # set, seed 1603: a fade through grey into a zooming black-and-white shot, the mean still
    # at the coarse end, falling 56 -> 46 over the 0.3 s before the moved end and on for 0.1 s;
    # the last 0.38 s, up to a fifth of the old shot left, leaked): its trend is followed too.
    ends = [(i_e - 1, end_s)]
    # From an end moved in, both the trend inside it and the one the frames outside it start
    # (next to a fast step, a distance transition's colours still drift 0.8 s into the shot:
    # round-18 set, seed 1802).
    in_ends = []  # for the span with its ends moved in only
    if shrunk_end is not None:
        in_ends.append((shrunk_end, float(times[shrunk_end])))
        if shrunk_end + k < n:
            in_ends.append((shrunk_end + k, float(times[shrunk_end])))
    trend_start, trend_end = math.inf, -math.inf  # from the ends as found
    if not sure_end:
        moved = int(np.searchsorted(times, new_end)) - 1
        if i_e - 1 < moved < n - 4:
            ends.append((moved, end_s))
    # Not at the start: moved back, an uncertain start followed a dip's darkening in the old
    # shot and the slide after it was no longer cut out to its edge (development set, seed 6:
    # two clips lost).
    for values in trends:
        for j, (edge, edge_s) in enumerate(ends + in_ends):
            if edge - k >= i_s and n - edge >= 5:
                last = _trend_end(values, edge, k, 1, times, edge_s, config.refine_max_extend_s)
                if last is not None and j < len(ends):
                    trend_end = max(trend_end, float(times[last]) + margin + faint)
                elif last is not None:
                    in_end = max(in_end, float(times[last]) + margin + faint_in_end)
        if i_s + k + 1 <= i_e and i_s >= 4:
            first = _trend_end(values, i_s, k, -1, times, start_s, config.refine_max_extend_s)
            if first is not None:
                trend_start = min(trend_start, float(times[first]) - margin - faint)
        if shrunk_start is not None:
            for edge in (shrunk_start, shrunk_start - k):
                if edge >= 1 and edge + k < n:
                    first = _trend_end(
                        values,
                        edge,
                        k,
                        -1,
                        times,
                        float(times[shrunk_start]),
                        config.refine_max_extend_s,
                    )
                    if first is not None:
                        in_start = min(in_start, float(times[first]) - margin - faint_in_start)
    new_start, new_end = min(new_start, trend_start), max(new_end, trend_end)
    in_start = new_start if in_start is None else min(in_start, trend_start)
    in_end = new_end if in_end is None else max(in_end, trend_end)
    return new_start, new_end, in_start, in_end


def _moved_in(
    step: np.ndarray,
    band: np.ndarray | None,
    tinies: list[np.ndarray],
    times: np.ndarray,
    lo: int,
    hi: int,
    outside: slice,
    limit: float,
    direction: int,
    config: BoundaryConfig,
) -> tuple[int, bool]:
    """The frame a span's start (`direction` -1) or end (1) may move in to, in its nearer half
    (frames lo..hi-1): the transition's first (last) fast step there, in the whole frame or in
    a row or column (a circle's or reveal's thin strip, over the shot's own band steps at
    `outside`, the shot's frames beyond that end, outwards), after (before) the frames as calm
    as the shot (`_calm_until`, which also says whether it is a contrast dip's rim); the half's
    outer frame where no run of fast steps is."""
    inner = step[lo:hi] > limit
    if band is not None:
        inner |= band[lo:hi] > _step_limit(_shot_step(band[outside]), config)
    if not _in_runs(inner).any():
        return (lo if direction < 0 else hi - 1), False
    high = np.flatnonzero(inner)
    cut = _ramp_end(
        step, lo + int(high[0 if direction < 0 else -1]), direction, step[outside], times, config
    )
    return _calm_until(tinies, lo - 1 if direction < 0 else hi, cut, -direction, config)


def _own_fade(
    times: np.ndarray,
    features: BoundaryFeatures,
    edge_s: float,
    limit_s: float,
    direction: int,
    config: BoundaryConfig,
) -> bool:
    """A fade of the footage's own (`_fade_ramp` on the analysed frames, at `times`: the
    features' times as an array) runs into a span's end at `edge_s` from outside it (up to
    `limit_s`, the neighbouring boundary's end)."""
    if not config.fade_min_rate or len(times) < 4:
        return False
    if direction < 0:
        edge = int(np.searchsorted(times, edge_s)) - 1
        stop = int(np.searchsorted(times, limit_s, side="right"))
    else:
        edge = int(np.searchsorted(times, edge_s - 1e-6))
        stop = min(int(np.searchsorted(times, limit_s)) - 1, len(times) - 1)
    if not 0 <= edge < len(times):
        return False
    return _fade_ramp(times, features.tinies, edge, direction, stop, config) is not None


def _in_runs(high: np.ndarray) -> np.ndarray:
    """The frames of `high` (a transition's step) with at least two more of the four around
    them: a transition's fast steps come in runs, a moving shot's one-off ones alone (a slide
    between two fast-moving shots of one film: its one step over the limit 0.8 s before its
    end moved the end in over the slide's last frames)."""
    around = np.convolve(high.astype(np.int32), np.ones(5, dtype=np.int32), mode="same")
    return high & (around >= 3)


def _calm_until(
    tinies: list[np.ndarray], clean: int, stop: int, direction: int, config: BoundaryConfig
) -> tuple[int, bool]:
    """The frame from `clean` (a clean frame just outside a span) towards `stop` (a transition's
    first or last fast step inside it) at which the frames first drift from `clean` by more
    than the shot does over as long outside the span (refine_floor + gradual_drift x the most
    its frames on the other side of `clean` moved over that lag, or over the longest lag
    there is): `stop` where none does. A slow change before the fast one (a title fading in,
    a dissolve's faint start) is no calm shot, nor are frames whose contrast dips under
    refine_calm_max_dip x both the frame at `stop`'s and the least of the shot's outside (a
    fade's or dissolve's blend): there the frame is the dip's rim on the clean side, and the
    flag is set (round-28
    set, seed 2803: a fade between a pan and a handheld shot at 8.50-9.56 s, no step larger
    than the shots', in a 0.80-11.18 s span whose end moved in to 8.74 s past the fade; its
    contrast falls to 11.4 against 41 at 8.74 s and 16.5 at least for the new shot)."""
    if (stop - clean) * direction <= 0:
        return stop, False  # the step's ramp reaches past the span's end: nothing between
    outside = list(range(clean, -1 if direction > 0 else len(tinies), -direction))
    seen: dict[int, float] = {}

    def own(lag: int) -> float:
        lag = min(lag, len(outside) - 1)
        if lag <= 0:
            return 0.0
        if lag not in seen:
            starts = outside[: len(outside) - lag]
            picks = starts[:: max(1, len(starts) // 8)]
            seen[lag] = max(_rms(tinies[j], tinies[j - direction * lag]) for j in picks)
        return seen[lag]

    dip = config.refine_calm_max_dip
    floor = -math.inf
    if dip is not None:
        # Over as many frames outside as the walk may take (a blend of two pictures loses
        # contrast, a shot's own drift does not fall below all it shows).
        shown = min(_contrast(tinies[j]) for j in outside[: abs(stop - clean) + 1])
        floor = dip * min(_contrast(tinies[stop]), shown)
    m = clean + direction
    while m != stop:
        lag = abs(m - clean)
        if _contrast(tinies[m]) < floor:
            # A blend's dip: the end stays at the dip's rim on the clean side.
            while m - direction != clean and _contrast(tinies[m - direction]) >= _contrast(
                tinies[m]
            ):
                m -= direction
            return m, True
        if _rms(tinies[clean], tinies[m]) > config.refine_floor + config.gradual_drift * own(lag):
            return m, False
        m += direction
    return stop, False


def _contrast(tiny: np.ndarray) -> float:
    """A thumbnail's grey contrast (the standard deviation of its grey)."""
    return float(tiny.mean(-1).std())


def _ramp_end(
    step: np.ndarray,
    edge: int,
    direction: int,
    own: np.ndarray,
    times: np.ndarray,
    config: BoundaryConfig,
) -> int:
    """The outermost frame, from `edge` (the first or last frame stepping by a transition's
    step) on in `direction`, of the ramp of steps that falls from it to the shot's own level
    (the median of the far half of `own`, its steps nearest first). The ramp is walked in
    groups of refine_trend_s: each group's median step still above the level by
    refine_ramp_noise of the steps' spread (1.4826 x their median absolute deviation), under
    the group's inside it by that spread at least (a shot's own motion levels off: a turning
    spiral after a wipe, 2.0 a step for 0.6 s) and no less than half of it (a hard edge's last
    step drops off a cliff into the shot's own motion: a game of life calming, 12.5 then 9.5
    after a wipe's 29). In the group that reaches the level, the frames still above it before
    the first that is not. A change that grows from nothing (an edge entering at a corner,
    whose area grows as the square of the time) steps little at first: the limit over the
    shot's steps finds it late (fresh set, seed 304: a 2 s diagonal wipe out of a zooming
    fractal, its steps 4.8, 3.1, 2.2, 1.4 a group down to the shot's 1.0, started 0.16 s late
    from the limit of 3.6). 0 turns it off."""
    far = own[len(own) // 2 :]
    far = far[far > 0.5] if np.sum(far > 0.5) >= max(2, len(far) / 2) else far
    n = len(step)
    if config.refine_ramp_noise <= 0 or len(far) < 4 or n < 3:
        return edge
    level = float(np.median(far))
    spread = 1.4826 * float(np.median(np.abs(far - level)))
    low = level + config.refine_ramp_noise * spread
    k = max(2, round(config.refine_trend_s / float(np.median(np.diff(times)))))
    inside = [edge - direction * j for j in range(k) if 1 <= edge - direction * j < n]
    before = float(np.median(step[inside]))
    m = edge
    while True:
        group = [
            j
            for j in (m + direction * (g + 1) for g in range(k))
            if 1 <= j < n and abs(times[j] - times[edge]) <= config.refine_max_extend_s
        ]
        if not group:
            return m
        now = float(np.median(step[group]))
        if now <= low:  # the level is reached in this group
            for j in group:
                if step[j] <= low or step[j] < before / 2:
                    break
                m = j
            return m
        if not before / 2 <= now <= before - spread:
            return m  # no ramp: a cliff, or the shot's own motion levelling off
        before, m = now, group[-1]


def _apart(a: np.ndarray, b: np.ndarray, config: BoundaryConfig) -> np.ndarray | None:
    """The pixels that tell two thumbnails apart (by more than 3 x `gradual_wipe_tol` in some
    channel), or None where they are under `gradual_wipe_min_apart` of all: too alike to tell
    a partition of the two from either."""
    apart = np.abs(a.astype(np.int16) - b).max(-1) > 3 * config.gradual_wipe_tol
    return None if apart.mean() < config.gradual_wipe_min_apart else apart


def _edge_span(
    times: np.ndarray,
    tinies: list[np.ndarray],
    start_s: float,
    end_s: float,
    frame_s: float,
    config: BoundaryConfig,
) -> tuple[float, float]:
    """A hard-edged transition's (a wipe's, a cover's, a reveal's) span inside
    `start_s`-`end_s`, from the full-rate thumbnails: from the first frame with pixels of the
    new shot's clean frame (the first after `end_s`) to the first without pixels of the old
    one's (the last before `start_s`), padded as refined ends are. An end moves only where an
    edge makes it: most pixels that become the new shot's at the first frame were the old
    shot's in one of the two frames before (a fade's, a fade through black's come from blends
    or black), and most that stop being the old shot's at the last are the new shot's within
    three frames; otherwise that end stays at `start_s` (`end_s`).

    A moving shot beside a wipe passes for the transition in the lag's scans (its frames are
    far from its clean frame), but holds no pixel of the other shot (chaplin.mp4 into Big Buck
    Bunny by a 1 s wipe was cut out over 4.4 s)."""
    n = len(times)
    ia = int(np.searchsorted(times, start_s)) - 1  # the old shot's clean frame
    ib = int(np.searchsorted(times, end_s, side="right"))  # the new shot's
    if ia < 2 or ib >= n or ib - ia < 4:
        return start_s, end_s
    apart = _apart(tinies[ia], tinies[ib], config)
    if apart is None:
        return start_s, end_s
    tol = config.gradual_wipe_tol
    frames = np.stack(tinies)[:, apart].astype(np.int16)  # the pixels apart only

    def channel_max(d: np.ndarray) -> np.ndarray:  # over the last axis of 3, unrolled
        d = np.abs(d)
        return np.maximum(np.maximum(d[..., 0], d[..., 1]), d[..., 2])

    near_a = channel_max(frames - frames[ia]) <= tol
    near_b = channel_max(frames - frames[ib]) <= tol
    # An edge's old shot is a part that only shrinks (its pixel at a frame was its at the
    # frame before) and its new shot one that only grows; a moving shot's pixels match the
    # other's clean frame by chance, a few here and there, seldom in two frames running
    # (Big Buck Bunny's after a wipe matched chaplin's 6 of 507 a frame, 0.9 s past the end).
    held_a, held_b = near_a.copy(), near_b.copy()
    held_a[1:] &= near_a[:-1]
    held_b[:-1] &= near_b[1:]
    share_a, share_b = held_a.mean(1), held_b.mean(1)
    # A share that a shot's own frames hold of the other's clean frame by chance is no sign.
    least_b = max(config.refine_edge_min_share, 2 * float(share_b[:ia].max(initial=0.0)))
    least_a = max(config.refine_edge_min_share, 2 * float(share_a[ib + 1 :].max(initial=0.0)))
    has_b = ia + np.flatnonzero(share_b[ia : ib + 1] > least_b)
    has_a = ia + np.flatnonzero(share_a[ia : ib + 1] > least_a)
    if not len(has_b) or not len(has_a):
        return start_s, end_s
    first_b, last_a = int(has_b[0]), int(has_a[-1])
    if not ia < first_b <= last_a + 1 < ib:
        return start_s, end_s

    def steady(share: np.ndarray, clean: int, edge: int) -> bool:
        """The shot's share of its clean frame at `edge` (towards the transition) is, less
        0.1, at least that at as long on the clean frame's far side (the shot's own motion; the
        farthest frame there if the window is shorter): a moving new shot's pixels match its
        clean frame late, while the edge already eats the old shot (or a moving old shot's
        match early)."""
        mirror_s = 2 * times[clean] - times[edge]
        mirror = int(np.clip(np.searchsorted(times, mirror_s), 0, n - 1))
        return share[edge] >= share[mirror] - 0.1

    pad = config.refine_margin_frames * frame_s + config.refine_faint_s
    new_start, new_end = start_s, end_s
    arrived = near_b[first_b] & ~near_b[first_b - 1]
    edge_in = bool(
        arrived.any()
        and (arrived & (near_a[first_b - 1] | near_a[first_b - 2])).sum() >= 0.5 * arrived.sum()
        and steady(share_a, ia, first_b - 1)
    )
    if edge_in:
        new_start = max(start_s, float(times[first_b]) - pad)
    left = near_a[last_a] & ~near_a[last_a + 1]
    later = near_b[last_a + 1 : min(last_a + 4, n)].any(0)
    # Or, where an edge came in over an old shot steady till then (its pixels known to the
    # end), its last pixels leave it in one jump, as the edge passes them, into a picture of
    # the new shot's mean colour (a fade through black leaves the old shot for black): a new
    # shot that moves matches its clean frame only later.
    jumped = channel_max(frames[last_a + 1] - frames[last_a]) > 3 * tol
    means = np.array([tinies[k].reshape(-1, 3).mean(0) for k in (ia, last_a + 1, ib)])
    b_like = np.abs(means[1] - means[2]).max() <= max(
        config.gradual_noise, 0.25 * float(np.abs(means[0] - means[2]).max())
    )
    if left.any() and (
        ((left & later).sum() >= 0.5 * left.sum() and steady(share_b, ib, last_a + 1))
        or (edge_in and b_like and (left & jumped).sum() >= 0.5 * left.sum())
    ):
        new_end = min(end_s, float(times[last_a + 1]) + pad)
        # The old shot may change by itself mid-wipe (the film cutting or whipping): its last
        # pixels then match its clean frame no more. Into a new shot that holds still (its
        # frames after its clean frame, as far as the window reaches up to as long as the
        # transition, hold at most refine_edge_min_share of pixels unlike it, by more than 3 x
        # gradual_wipe_tol), the transition lasts while a frame holds more than that; the end
        # pads the last such frame, as the start pads the first with the new shot's pixels
        # (round-14 set, seed 1203: a film whipping into black mid-wipe into plum, its black
        # corner there 0.5 s after its last pixel of the clean frame; the next clip held it).
        unlike = (channel_max(frames - frames[ib]) > 3 * tol).mean(1)
        after = unlike[ib + 1 : min(n, 2 * ib - last_a)]
        least = config.refine_edge_min_share
        if len(after) >= 4 and after.max() <= least:
            still_old = last_a + 1 + np.flatnonzero(unlike[last_a + 1 : ib] > least)
            if len(still_old):
                new_end = min(end_s, max(new_end, float(times[still_old[-1]]) + pad))
    return new_start, new_end


def _trend_end(
    means: np.ndarray,
    edge: int,
    k: int,
    direction: int,
    times: np.ndarray,
    edge_s: float,
    max_extend_s: float,
) -> int | None:
    """The last frame outwards from `edge` (the span's outermost frame on one side) whose mean
    colour still moves on as it moved over the `k` frames inside the span before it; None when
    it did not move (no trend) or the first frame outside does not follow it."""
    inner = edge - direction * k
    trend = means[edge] - means[inner]  # outwards, over k frames
    speed = float(np.linalg.norm(trend)) / k
    if speed < 0.3:
        return None  # no steady change of colour to follow (a mean that hardly moves)
    unit = trend / (speed * k)
    outwards = [
        float((means[m] - means[m - direction]) @ unit)
        for m in range(edge + direction, len(means) if direction > 0 else -1, direction)
        if 0 <= m - direction < len(means)
    ]
    # The shot's own drift along that direction: the farther half of the frames outside.
    far = np.abs(np.array(outwards[len(outwards) // 2 :]))
    limit = max(0.3 * speed, 2.0 * float(np.median(far)) if len(far) else 0.0)
    last = None
    for j, value in enumerate(outwards):
        m = edge + direction * (j + 1)
        if abs(times[m] - edge_s) > max_extend_s:
            break
        following = outwards[j + 1] if j + 1 < len(outwards) else 0.0
        if value > limit:
            last = m
        elif following <= limit:
            break
    return last


def _peaks(
    times: np.ndarray, values: np.ndarray, radius_s: float, floor: float, valley: float = 0.0
) -> list[int]:
    """Indices of values >= floor that are the largest within radius_s (first of equals); with
    `valley`, a larger value counts only where the values between stay above `valley` times
    the peak's (beyond a dip below it lies another event's rise)."""
    peaks = []
    for i in np.flatnonzero(values >= floor):
        lo = int(np.searchsorted(times, times[i] - radius_s))
        hi = int(np.searchsorted(times, times[i] + radius_s, side="right"))
        if valley > 0:
            low = values < valley * values[i]
            before, after = np.flatnonzero(low[lo:i]), np.flatnonzero(low[i + 1 : hi])
            lo = lo + int(before[-1]) + 1 if len(before) else lo
            hi = i + 1 + int(after[0]) if len(after) else hi
        window = values[lo:hi]
        if values[i] >= window.max() and i == lo + int(np.argmax(window)):
            peaks.append(int(i))
    return peaks


def _plateau_rest(
    times: np.ndarray,
    lag: np.ndarray,
    lo: np.ndarray,
    first_b: int,
    peaks: list[int],
    config: BoundaryConfig,
) -> int | None:
    """The middle of a lag plateau past a span's new clean frame `first_b`: lags whose windows
    start at it or later still from gradual_min_hist, no peak among them nor a lag window before
    them (a peak larger before it hid theirs). The middle of their plateau (within
    PLATEAU_SHARE of its top) is where their change lies, as for a wipe's RMS plateau."""
    n = len(lag)
    i = int(np.searchsorted(lo, first_b))
    if i >= n or lag[i] < config.gradual_min_hist:
        return None
    j = i
    while j + 1 < n and lag[j + 1] >= config.gradual_min_hist:
        j += 1
    if any(times[i] - config.gradual_window_s <= times[c] <= times[j] for c in peaks):
        return None
    top = int(i + np.argmax(lag[i : j + 1]))
    left = right = top
    while left > i and lag[left - 1] >= PLATEAU_SHARE * lag[top]:
        left -= 1
    while right < j and lag[right + 1] >= PLATEAU_SHARE * lag[top]:
        right += 1
    return (left + right) // 2


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged
