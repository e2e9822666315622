//! Running the model through time: rests, exercises, and what adds up.

use std::sync::Arc;

use serde::Serialize;

use super::geometry::Person;
use super::inputs::{Activity, Contraction, Posture, check_compression};
use super::model::{
    CALF_DEEP, CALF_SUPERFICIAL, CENTRAL, CREEP_DEEP, CREEP_SUPERFICIAL, Conditions, EXERCISE,
    FEMORAL_FLOW, Jacobian, Leg, N, Outputs, POPLITEAL_FLOW, PUMPED, REFLEX, Squeeze, State, THIGH,
    TISSUE, Valves,
};
use super::params::Parameters;
use super::scenario::Scenario;
use super::solver::{Rosenbrock, Stalled, System, Tolerance, Work};
use crate::{Error, Result};

/// Mean popliteal velocity below which a minute counts as stasis, cm/s.
/// Flow this slow lets blood sit in the soleal sinuses (Thromb Haemost
/// 2009;101:1100 measured about 3 cm/s in still sitting).
pub const STASIS_VELOCITY_CM_S: f64 = 5.0;
/// Most cycles advanced at once when following the envelope of a rhythmic bout.
const ENVELOPE_CYCLES: u64 = 60;
/// Cycles resolved after each envelope jump before the next: the first lets
/// the fast volumes settle back onto their orbit, the second measures the drift.
const SETTLE_CYCLES: u64 = 2;
/// When the drift between the first two cycles resolved after a jump (or a
/// bout's start) allows a linear jump shorter than this many cycles, a
/// third is resolved first: it tells whether the bout is approaching its
/// rhythm as the exercise drive does, and may jump further that way (see
/// [`approach_advance`]). In a walk's first minute the linear jumps are
/// 0–4 cycles long, the approach's 3–18.
const THIRD_CYCLE_BELOW: u64 = 8;
/// The shortest envelope jump taken, unless it ends the bout. A jump
/// discards what the resolved cycles measured: the [`SETTLE_CYCLES`] after
/// it (and a third, for an approach) are resolved before the next. Early in
/// a bout, where the drift allows only jumps shorter than this, the drift
/// shrinks by a third or more a cycle (the calf's volumes settling onto the
/// bout's rhythm), so resolving on and jumping further a cycle or two later
/// skips more: a 20-pump set resolves 9 cycles instead of 11 (10 with a
/// shortest jump of 4).
const SHORTEST_JUMP: u64 = SETTLE_CYCLES + 1;
/// How far the extrapolation over one envelope jump, linear or an
/// approach's, may stray from the resolved solution, per state. Calf and
/// thigh veins, and any volume not named here: 1 mL (they return to their orbit within a cycle or two;
/// plethysmography resolves about 1 mL).
/// Central volume and reflex: 3 mL, 0.05 mmHg over the 60 mL/mmHg central
/// compliance. Tissue fluid: 0.2 mL (it keeps its errors for hours).
/// Exercise drive: 1 % of full. Vein-wall creep: 0.2 mL, as tissue fluid (it
/// is slow too, and counts in the calf's volume). Running totals (pumped,
/// popliteal and femoral volumes): 1 mL.
const ENVELOPE_TOLERANCE: [f64; N] = {
    let mut bound = [1.0; N];
    bound[CENTRAL] = 3.0;
    bound[REFLEX] = 3.0;
    bound[TISSUE] = 0.2;
    bound[EXERCISE] = 0.01;
    bound[CREEP_DEEP] = 0.2;
    bound[CREEP_SUPERFICIAL] = 0.2;
    bound
};
/// How a state is carried across an envelope jump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carry {
    /// By the last cycle's change, once per cycle jumped.
    Linear,
    /// By the last cycle's change shrinking from cycle to cycle as it
    /// shrank over the last two (a relaxation towards the bout's orbit),
    /// linearly if it did not shrink.
    Geometric,
}

/// How each state is carried across an envelope jump. Linearly, but for
/// the calf's superficial veins: the hyperaemia does not reach them, so
/// through a bout they only relax towards their orbit, over about ten
/// cycles as the perforators drain them into the emptied deep veins. A
/// linear step overshoots that relaxation and, past about 18 cycles,
/// excites it (the next two cycles measure the overshoot as drift), which
/// held a steady walk's jumps at about 18 cycles.
const ENVELOPE_CARRY: [Carry; N] = {
    let mut carry = [Carry::Linear; N];
    carry[CALF_SUPERFICIAL] = Carry::Geometric;
    carry
};
/// Time allowed to settle in the first posture before time zero, s.
const SETTLE_S: f64 = 1800.0;

/// Cycles a rhythmic bout may skip ahead by a linear extrapolation (0 or
/// 1: resolve the next one too), given its `drift`: how much the change
/// changed from one resolved cycle to the next. Over J cycles the
/// extrapolation is off by up to J(J + 1)/2 times that, held under
/// [`ENVELOPE_TOLERANCE`] for every state.
fn envelope_jump(drift: &State) -> u64 {
    let allowed = (0..N)
        .map(|i| {
            let drift = drift[i].abs().max(f64::MIN_POSITIVE);
            let bound = 2.0 * ENVELOPE_TOLERANCE[i] / drift;
            ((-1.0 + (1.0 + 4.0 * bound).sqrt()) / 2.0).floor()
        })
        .fold(f64::INFINITY, f64::min);
    allowed.clamp(0.0, ENVELOPE_CYCLES as f64) as u64
}

/// How far the state moves over `jump` cycles, given the changes over the
/// last two resolved cycles (see [`ENVELOPE_CARRY`]). Every resolved cycle
/// conserves blood, and so does a linear jump; what a geometric carry
/// leaves of the linear change goes to the calf's deep veins, into which
/// the superficial ones drain, so that a jump conserves it too.
fn envelope_advance(change: &State, earlier: &State, jump: u64) -> State {
    let mut advance = change * jump as f64;
    for i in 0..N {
        let ratio = change[i] / earlier[i];
        if ENVELOPE_CARRY[i] == Carry::Geometric && ratio > 0.0 && ratio < 1.0 {
            let carried = change[i] * ratio * (1.0 - ratio.powi(jump as i32)) / (1.0 - ratio);
            advance[CALF_DEEP] += advance[i] - carried;
            advance[i] = carried;
        }
    }
    advance
}

/// Cycles a bout approaching its rhythm may skip ahead (see
/// [`approach_advance`]), given the differences between its last three
/// resolved cycles' changes, `last` and `before` (0 or 1: resolve the next
/// cycle too). Each state's own ratio, `last`/`before`, may differ from the
/// shared `ratio`: the jump's error in it is what the two ratios would
/// carry apart over the jump, held under [`ENVELOPE_TOLERANCE`].
fn approach_jump(last: &State, before: &State, ratio: f64) -> u64 {
    // A ratio above 1 (differences growing) is kept: clamped to 1 it would
    // undercount them. Below 0 (alternating) they do not add up: 0. A
    // difference at rounding level says nothing about a ratio.
    let own: [f64; N] = std::array::from_fn(|i| {
        if last[i].abs() <= 1e-9 * ENVELOPE_TOLERANCE[i] {
            ratio
        } else {
            (last[i] / before[i]).max(0.0)
        }
    });
    (1..=ENVELOPE_CYCLES)
        .take_while(|&jump| {
            let shared = carried(ratio, jump);
            (0..N).all(|i| {
                (last[i] * (carried(own[i], jump) - shared)).abs() <= ENVELOPE_TOLERANCE[i]
            })
        })
        .last()
        .unwrap_or(0)
}

/// How many times a difference shrinking by `ratio` a cycle is added over
/// `jump` cycles: Σ S_k for k = 1..jump, S_k = Σ ratio^m for m = 1..k (the
/// k-th cycle's change is the last one plus the last difference S_k times).
fn carried(ratio: f64, jump: u64) -> f64 {
    let cycles = jump as f64;
    if !ratio.is_finite() {
        return f64::INFINITY;
    }
    if (ratio - 1.0).abs() < 1e-4 {
        return cycles * (cycles + 1.0) / 2.0;
    }
    let shrunk = ratio * (1.0 - ratio.powi(jump as i32)) / (1.0 - ratio);
    ratio / (1.0 - ratio) * (cycles - shrunk)
}

/// How far the state moves over `jump` cycles while a bout approaches its
/// rhythm, given the changes over its last two resolved cycles: each
/// cycle's change moves on from the last by the last difference, shrinking
/// by `ratio` a cycle. The exercise drive approaches the bout's work rate
/// geometrically, by its ratio ([`Leg::exercise_drive_ratio`]); in a
/// bout's first minute the calf's and central volumes and the running
/// totals follow it, their differences shrinking by 0.87–0.94 a stride
/// against its 0.945, and every state, the superficial veins included,
/// is carried at its ratio: [`approach_jump`] holds what each state's own
/// ratio would carry differently under its tolerance. Both changes
/// conserve blood, and so does the advance.
fn approach_advance(change: &State, earlier: &State, ratio: f64, jump: u64) -> State {
    change * jump as f64 + (change - earlier) * carried(ratio, jump)
}

/// How an envelope jump extrapolates the last resolved cycles.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Extrapolation {
    /// By the last cycle's change (see [`envelope_advance`]).
    Linear,
    /// By the changes approaching the rhythm as the exercise drive does,
    /// shrinking by this ratio a cycle (see [`approach_advance`]).
    Approach(f64),
}

/// The leg under fixed conditions, driven by a contraction (and its start
/// time) if any, in a bout of `work_rate`: the system the integrator solves.
struct Driven<'a> {
    leg: &'a Leg,
    conditions: Conditions,
    contraction: Option<(Contraction, f64)>,
    work_rate: f64,
}

impl<'a> Driven<'a> {
    /// `leg` at rest under `conditions`.
    fn resting(leg: &'a Leg, conditions: Conditions) -> Self {
        Self {
            leg,
            conditions,
            contraction: None,
            work_rate: 0.0,
        }
    }

    fn squeeze(&self, t: f64) -> Squeeze {
        Squeeze {
            pressure: self
                .contraction
                .map_or(0.0, |(c, start)| c.pressure(t - start)),
            work_rate: self.work_rate,
            contracting: self.contraction.is_some(),
        }
    }
}

impl System for Driven<'_> {
    fn rhs(&self, t: f64, y: &State, dy: &mut State) {
        self.leg.rhs(y, &self.conditions, self.squeeze(t), dy);
    }

    fn jacobian(&self, t: f64, y: &State, jacobian: &mut Jacobian) -> bool {
        self.leg
            .jacobian(y, &self.conditions, self.squeeze(t), jacobian);
        true
    }
}

/// Whether integration stops at each minute mark to account the minute.
/// Rhythmic bouts pass them and account at the end of the cycle, so every
/// cycle is integrated alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MinuteMarks {
    Stop,
    Pass,
}

/// Accounts minutes: whether one counts as stasis.
struct Minute<'a> {
    leg: &'a Leg,
    /// Whether the legs hang down (only then can a minute be stasis).
    dependent: bool,
}

impl Minute<'_> {
    /// Closes the minute that ends at `t` in state `y`, opened at
    /// `window_start` (time, popliteal volume), adding it to `stasis` if
    /// blood barely moved, and opens the next.
    fn close(&self, t: f64, y: &State, window_start: &mut (f64, f64), stasis: &mut f64) {
        let (since, volume) = *window_start;
        let elapsed = t - since;
        if elapsed > 0.0 && self.dependent {
            let mean_flow = (y[POPLITEAL_FLOW] - volume) / elapsed;
            let area = self.leg.vein_areas(y).0;
            if mean_flow / area.max(1e-3) < STASIS_VELOCITY_CM_S {
                *stasis += elapsed / 60.0;
            }
        }
        *window_start = (t, y[POPLITEAL_FLOW]);
    }
}

/// Checks a reflux severity: 0 to 1.
fn check_reflux_severity(severity: f64) -> Result<()> {
    if (0.0..=1.0).contains(&severity) {
        Ok(())
    } else {
        Err(crate::Error::invalid(
            "reflux severity",
            format!("0 (the valves hold) to 1 (fully incompetent) (got {severity})"),
        ))
    }
}

/// One point of the time series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Sample {
    /// Seconds since the start.
    pub t_s: f64,
    /// Intramuscular pressure on the calf deep veins, mmHg.
    pub muscle_mmhg: f64,
    /// What the model shows.
    #[serde(flatten)]
    pub outputs: Outputs,
}

/// What a run adds up to.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Totals {
    /// Seconds simulated.
    pub duration_s: f64,
    /// Blood ejected from both calves by contractions, mL.
    pub pumped_ml: f64,
    /// Minutes with the legs down and the popliteal flow below 5 cm/s.
    pub stasis_minutes: f64,
    /// Steps walked (both legs).
    pub steps: u64,
    /// Calf contractions of one leg (steps count once per stride).
    pub contractions: u64,
}

/// Asked between stretches of integration (at least every simulated
/// minute, or at every sample) with the seconds simulated so far; answering
/// `true` stops the run (see [`Simulation::interrupt_when`]).
#[derive(Clone)]
pub struct Interrupt(Arc<dyn Fn(f64) -> bool + Send + Sync>);

impl Interrupt {
    /// An interrupt that asks `stop`.
    pub fn new(stop: impl Fn(f64) -> bool + Send + Sync + 'static) -> Self {
        Self(Arc::new(stop))
    }
}

impl std::fmt::Debug for Interrupt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Interrupt")
    }
}

/// A person's legs, running through time.
#[derive(Debug, Clone)]
pub struct Simulation {
    leg: Leg,
    person: Person,
    compression_calf: f64,
    posture: Posture,
    y: State,
    t: f64,
    solver: Rosenbrock,
    totals: Totals,
    sample_every: Option<f64>,
    next_sample: f64,
    samples: Vec<Sample>,
    window_start: (f64, f64),
    reference_step: Option<f64>,
    follow_envelope: bool,
    interrupt: Option<Interrupt>,
    interrupted: bool,
    /// Where the integrator could not go on, if it could not (see
    /// [`Simulation::solved`]).
    stalled_at: Option<f64>,
}

impl Simulation {
    /// Legs of `person` with `valves`, in a garment of pressure class
    /// `compression_mmhg` (its labelled ankle pressure), settled lying down.
    pub fn new(person: Person, valves: Valves, compression_mmhg: f64) -> Result<Self> {
        Self::with_reflux(person, valves, 1.0, compression_mmhg)
    }

    /// The same, with the leaking valves of `valves` leaking
    /// `reflux_severity` (0: they hold after all, to 1: the reference
    /// incompetence, see [`Simulation::new`]) of the reference backflow.
    pub fn with_reflux(
        person: Person,
        valves: Valves,
        reflux_severity: f64,
        compression_mmhg: f64,
    ) -> Result<Self> {
        person.validate()?;
        check_compression(compression_mmhg)?;
        check_reflux_severity(reflux_severity)?;
        let mut leg = Leg::new(Parameters::default().scaled(person.size()), valves);
        leg.set_reflux_severity(reflux_severity);
        let y = leg.supine_state();
        let mut sim = Self {
            leg,
            person,
            // The label's grading (calf 50–80 % of the ankle) holds on wooden
            // legs, not on people: measured on legs, the calf gets about the
            // labelled pressure or more (Partsch, Partsch & Braun 2006;
            // Phlebology 2019: 13 mmHg at the ankle, 18 mmHg 4 cm above).
            compression_calf: compression_mmhg.max(0.0),
            posture: Posture::Supine,
            y,
            t: 0.0,
            solver: Rosenbrock::new(Tolerance::default()),
            totals: Totals::default(),
            sample_every: None,
            next_sample: 0.0,
            samples: Vec::new(),
            window_start: (0.0, 0.0),
            reference_step: None,
            follow_envelope: true,
            interrupt: None,
            interrupted: false,
            stalled_at: None,
        };
        sim.settle(Posture::Supine);
        sim.solved()?;
        Ok(sim)
    }

    /// Settles the blood in `posture` for half an hour, outside the
    /// reported time, long enough for the vein walls' creep too; the tissue
    /// keeps its fluid (a person sits down rested, not already swollen).
    pub fn settle(&mut self, posture: Posture) {
        let tissue = self.y[TISSUE];
        self.posture = posture;
        if self.stop_now() {
            return;
        }
        let f = Driven::resting(&self.leg, self.conditions());
        let mut y = self.y;
        let settled = self
            .solver
            .integrate(&f, &mut y, (0.0, SETTLE_S), f64::MAX, false);
        self.note_stall(settled.map_err(|_| Stalled { at_s: self.t }));
        self.y = y;
        self.y[TISSUE] = tissue;
        self.y[PUMPED] = 0.0;
        self.window_start = (self.t, self.y[POPLITEAL_FLOW]);
    }

    /// Asks `interrupt` from now on whether to stop. Once it says so, the
    /// run is [`interrupted`](Self::interrupted): time still passes (so
    /// every caller's loop ends) but nothing more is computed, and what the
    /// simulation shows from then on means nothing.
    pub fn interrupt_when(&mut self, interrupt: Interrupt) {
        self.interrupt = Some(interrupt);
    }

    /// Whether the run was stopped by its [`Interrupt`].
    pub fn interrupted(&self) -> bool {
        self.interrupted
    }

    /// Ok if every interval so far was integrated; else
    /// [`Error::ModelStalled`]: the equations gave no usable answer, the
    /// run stopped computing there (time still passes, as after an
    /// interrupt) and what it shows means nothing. Inputs are checked
    /// before a run starts, so this is a fault of the model, not of them.
    pub fn solved(&self) -> Result<()> {
        match self.stalled_at {
            Some(at_s) => Err(Error::ModelStalled { at_s }),
            None => Ok(()),
        }
    }

    /// Keeps where the integrator stalled, if it did.
    fn note_stall(&mut self, integrated: std::result::Result<(), Stalled>) {
        if let Err(stalled) = integrated {
            self.stalled_at.get_or_insert(stalled.at_s);
        }
    }

    /// Whether to stop now: stalled, or asked by the interrupt; once
    /// stopped stays stopped.
    fn stop_now(&mut self) -> bool {
        if self.stalled_at.is_some() {
            return true;
        }
        if !self.interrupted
            && let Some(interrupt) = &self.interrupt
        {
            self.interrupted = (interrupt.0)(self.t);
        }
        self.interrupted
    }

    /// The same run resolving every cycle of a rhythmic bout instead of
    /// following its envelope (see [`Simulation::exercise`]): for figures
    /// measured over a few cycles, where a jump's allowed error is a large
    /// share of what is measured.
    pub fn resolving_every_cycle(mut self) -> Self {
        self.follow_envelope = false;
        self
    }

    fn follows_envelope(&self) -> bool {
        self.follow_envelope && self.sample_every.is_none()
    }

    /// Keeps a sample every `seconds` from now on (memory grows with the run).
    pub fn record_every(&mut self, seconds: f64) {
        self.sample_every = Some(seconds.max(0.01));
        self.next_sample = self.t;
    }

    /// The samples kept so far.
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    /// Seconds since the start.
    pub fn time(&self) -> f64 {
        self.t
    }

    /// What the model shows now.
    pub fn outputs(&self) -> Outputs {
        self.leg.outputs(&self.y, &self.conditions(), 0.0)
    }

    /// The totals so far.
    pub fn totals(&self) -> Totals {
        Totals {
            duration_s: self.t,
            pumped_ml: 2.0 * self.y[PUMPED],
            ..self.totals
        }
    }

    /// Volume through the popliteal vein so far, mL (for mean velocities).
    pub fn popliteal_volume(&self) -> f64 {
        self.y[POPLITEAL_FLOW]
    }

    /// Volume through the femoral vein so far, mL.
    pub fn femoral_volume(&self) -> f64 {
        self.y[FEMORAL_FLOW]
    }

    /// Cross-sections of the popliteal and femoral veins now, cm².
    pub fn vein_areas(&self) -> (f64, f64) {
        self.leg.vein_areas(&self.y)
    }

    /// Venous blood in one leg (calf and thigh), mL.
    pub fn leg_blood_volume(&self) -> f64 {
        Leg::calf_venous_volume(&self.y) + self.y[THIGH]
    }

    /// Blood the calf's vein walls of one leg hold by creep (delayed
    /// compliance) beyond their elastic law, mL.
    pub fn calf_vein_creep(&self) -> f64 {
        self.y[CREEP_DEEP] + self.y[CREEP_SUPERFICIAL]
    }

    /// Venous blood and excess tissue fluid in one lower leg, mL.
    pub fn lower_leg_fluid(&self) -> f64 {
        Leg::calf_venous_volume(&self.y) + self.y[TISSUE]
    }

    /// The integrator's work so far.
    pub fn work(&self) -> Work {
        self.solver.work
    }

    /// Lower-leg volume of one leg, mL.
    pub fn lower_leg_volume(&self) -> f64 {
        self.person.lower_leg_volume()
    }

    fn conditions(&self) -> Conditions {
        Conditions {
            depths: self.person.depths(self.posture),
            compression_calf: self.compression_calf,
        }
    }

    /// Holds `posture` for `seconds` without working the calf.
    pub fn rest(&mut self, posture: Posture, seconds: f64) {
        self.posture = posture;
        let end = self.t + seconds.max(0.0);
        if self.sample_every.is_none() && self.reference_step.is_none() && !self.stop_now() {
            self.rest_through_minutes(end);
        } else {
            self.advance(end, None, 0.0, MinuteMarks::Stop);
        }
    }

    /// Does `cycles` cycles of `activity` in `posture`.
    ///
    /// Once the bout settles into repeating itself, its envelope is followed
    /// (Petzold, SIAM J Numer Anal 1981;18:455; projective integration, Gear
    /// & Kevrekidis, SIAM J Sci Comput 2003;24:1091): after two resolved
    /// cycles the state advances by the last one's change for up to
    /// [`ENVELOPE_CYCLES`] cycles at once, as far as the drift between the
    /// two allows (see [`envelope_jump`]), then two cycles are resolved
    /// again. While a bout approaches its rhythm, a third resolved cycle
    /// lets the changes be carried shrinking as the exercise drive's
    /// approach does, which jumps further (see [`approach_advance`]). A jump
    /// shorter than [`SHORTEST_JUMP`] is left for a longer one a cycle or two
    /// later, unless it ends the bout. Each
    /// cycle starts with the same first step and passes minute marks
    /// without stopping, so its change reflects the physiology, not the
    /// step sequence. Not used while sampling, nor by
    /// [`Simulation::resolving_every_cycle`].
    pub fn exercise(&mut self, activity: Activity, posture: Posture, cycles: u64) {
        self.posture = activity.posture().unwrap_or(posture);
        let contraction = activity.contraction();
        let period = activity.period_s();
        let work_rate = activity.work_rate();
        let first_step = contraction.ramp_s / 4.0;
        let mut done = 0;
        // The changes over the last two resolved cycles (the last first),
        // and how many cycles were resolved since the last jump.
        let mut previous: Option<State> = None;
        let mut older: Option<State> = None;
        let mut resolved = 0;
        while done < cycles {
            if self.stop_now() {
                self.t += period * (cycles - done) as f64;
                return;
            }
            let before = self.y;
            let start = self.t;
            self.solver.restart(first_step);
            // The rise, the hold at the peak (if any), then the fall.
            let (ramp, hold) = (contraction.ramp_s, contraction.hold_s);
            let phases: &[f64] = if hold > 0.0 {
                &[ramp, ramp + hold, contraction.duration()]
            } else {
                &[contraction.duration()]
            };
            for &end in phases {
                self.advance(
                    start + end,
                    Some((contraction, start)),
                    work_rate,
                    MinuteMarks::Pass,
                );
            }
            self.advance(start + period, None, work_rate, MinuteMarks::Pass);
            self.count_cycles(activity, 1);
            self.close_minute_if_crossed();
            done += 1;
            resolved += 1;
            let change = self.y - before;
            let ratio = self
                .leg
                .exercise_drive_ratio(before[EXERCISE], work_rate, period);
            let jump = match previous {
                Some(earlier) if self.follows_envelope() && resolved >= SETTLE_CYCLES => {
                    let remaining = cycles - done;
                    let drift_allows = envelope_jump(&(change - earlier));
                    let linear = drift_allows.min(remaining);
                    let approach = older.map_or(0, |older| {
                        approach_jump(&(change - earlier), &(earlier - older), ratio).min(remaining)
                    });
                    // A jump that ends the bout costs no resolved cycles of the
                    // bout after it (the rest that follows resolves what it
                    // leaves off the orbit).
                    let worth =
                        |jump: u64| jump >= SHORTEST_JUMP || (jump > 0 && jump == remaining);
                    if approach > linear && worth(approach) {
                        Some((approach, earlier, Extrapolation::Approach(ratio)))
                    } else if older.is_none() && drift_allows < THIRD_CYCLE_BELOW {
                        // Resolve a third cycle: it measures the approach.
                        None
                    } else {
                        worth(linear).then_some((linear, earlier, Extrapolation::Linear))
                    }
                }
                _ => None,
            };
            if let Some((jump, earlier, extrapolation)) = jump {
                self.y += match extrapolation {
                    Extrapolation::Linear => envelope_advance(&change, &earlier, jump),
                    Extrapolation::Approach(ratio) => {
                        approach_advance(&change, &earlier, ratio, jump)
                    }
                };
                self.t += period * jump as f64;
                self.count_cycles(activity, jump);
                done += jump;
                self.close_minute_if_crossed();
                resolved = 0;
                previous = None;
                older = None;
            } else {
                older = previous;
                previous = Some(change);
            }
        }
    }

    fn count_cycles(&mut self, activity: Activity, cycles: u64) {
        self.totals.contractions += cycles;
        self.totals.steps += u64::from(activity.steps_per_cycle()) * cycles;
    }

    /// After a cycle or a jump, accounts the minute marks it passed.
    fn close_minute_if_crossed(&mut self) {
        if (self.t / 60.0).floor() > (self.window_start.0 / 60.0).floor() {
            self.close_minute();
        }
    }

    /// Runs a whole scenario's timeline (the person and valves are this simulation's).
    pub fn run(&mut self, scenario: &Scenario) {
        if let Some(first) = scenario.timeline.first() {
            self.settle(first.posture);
        }
        for segment in &scenario.timeline {
            let end = self.t + segment.seconds;
            match segment.activity {
                Some(activity) => {
                    let fit = (segment.seconds / activity.period_s()).floor() as u64;
                    let cycles = segment
                        .repetitions
                        .map_or(fit, |n| u64::from(n).min(fit.max(1)));
                    self.exercise(activity, segment.posture, cycles);
                    self.rest(segment.posture, (end - self.t).max(0.0));
                }
                None => self.rest(segment.posture, segment.seconds),
            }
        }
    }

    /// The same run with the adaptive integrator's relative and absolute
    /// tolerances multiplied by `factor` (0.01: a converged run to check
    /// a result against; slow ankle pumps need it, see docs/pump-model.md).
    pub fn with_tolerance_scaled(mut self, factor: f64) -> Self {
        let default = Tolerance::default();
        self.solver = Rosenbrock::new(Tolerance {
            relative: default.relative * factor,
            absolute: default.absolute * factor,
            ..default
        });
        self
    }

    /// The same run with the fixed-step RK4 reference integrator (step `h`),
    /// for checking that results do not depend on the adaptive steps.
    pub fn with_reference_integrator(mut self, h: f64) -> Self {
        self.reference_step = Some(h);
        self
    }

    /// Integrates to `t_end` under `contraction` (and its start time) if
    /// any, in a bout of `work_rate`, stopping at sample times and, if
    /// asked, at minute marks.
    fn advance(
        &mut self,
        t_end: f64,
        contraction: Option<(Contraction, f64)>,
        work_rate: f64,
        minute_marks: MinuteMarks,
    ) {
        let conditions = self.conditions();
        while t_end - self.t > 1e-9 {
            if self.stop_now() {
                self.t = t_end;
                return;
            }
            let next_minute = (self.t / 60.0).floor() * 60.0 + 60.0;
            let mut stop = match minute_marks {
                MinuteMarks::Stop => t_end.min(next_minute),
                MinuteMarks::Pass => t_end,
            };
            if let Some(every) = self.sample_every {
                if self.next_sample <= self.t + 1e-9 {
                    self.take_sample(contraction);
                    self.next_sample = self.t + every;
                }
                stop = stop.min(self.next_sample);
            }
            let f = Driven {
                leg: &self.leg,
                conditions,
                contraction,
                work_rate,
            };
            // On a contraction's ramps, at least four steps per ramp, so no
            // step jumps over the squeeze; at its peak the squeeze holds
            // still, and the steps are the error control's.
            let ramping =
                contraction.filter(|&(c, start)| !c.holds_between(self.t - start, stop - start));
            let max_step = ramping.map_or(f64::MAX, |(c, _)| c.ramp_s / 4.0);
            let mut y = self.y;
            match self.reference_step {
                Some(h) => super::solver::rk4(
                    &|t, y: &State, dy: &mut State| f.rhs(t, y, dy),
                    &mut y,
                    self.t,
                    stop,
                    h,
                ),
                None => {
                    let integrated = self.solver.integrate(
                        &f,
                        &mut y,
                        (self.t, stop),
                        max_step,
                        ramping.is_some(),
                    );
                    self.note_stall(integrated);
                }
            }
            self.y = y;
            self.t = stop;
            if (self.t - next_minute).abs() < 1e-9 {
                self.close_minute();
            }
        }
    }

    /// Counts the minute just ended as stasis if blood barely moved.
    fn close_minute(&mut self) {
        let minute = Minute {
            leg: &self.leg,
            dependent: self.posture.dependent(),
        };
        minute.close(
            self.t,
            &self.y,
            &mut self.window_start,
            &mut self.totals.stasis_minutes,
        );
    }

    /// Integrates a rest to `t_end` in steps as long as the step control
    /// allows, accounting each minute mark a step passes with the state
    /// there interpolated within the step.
    fn rest_through_minutes(&mut self, t_end: f64) {
        if t_end - self.t <= 1e-9 {
            // Nothing to integrate (a bout that filled its segment): keep
            // the step the integrator had.
            return;
        }
        let f = Driven::resting(&self.leg, self.conditions());
        let minute = Minute {
            leg: &self.leg,
            dependent: self.posture.dependent(),
        };
        let window_start = &mut self.window_start;
        let stasis = &mut self.totals.stasis_minutes;
        let interrupt = self.interrupt.as_ref();
        let interrupted = &mut self.interrupted;
        let mut y = self.y;
        let integrated = self
            .solver
            .integrate_observed(&f, &mut y, (self.t, t_end), &mut |step| {
                // The first mark after the open minute's start (a start
                // within rounding of a mark is that mark).
                let mut mark = ((window_start.0 + 1e-6) / 60.0).floor() * 60.0 + 60.0;
                while mark <= step.end.0 + 1e-9 {
                    minute.close(mark, &step.at(mark), window_start, stasis);
                    if interrupt.is_some_and(|stop| (stop.0)(mark)) {
                        *interrupted = true;
                        return false;
                    }
                    mark += 60.0;
                }
                true
            });
        self.note_stall(integrated);
        self.y = y;
        self.t = t_end;
    }

    fn take_sample(&mut self, contraction: Option<(Contraction, f64)>) {
        let muscle = contraction.map_or(0.0, |(c, start)| c.pressure(self.t - start));
        self.samples.push(Sample {
            t_s: self.t,
            muscle_mmhg: muscle,
            outputs: self.leg.outputs(&self.y, &self.conditions(), muscle),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both legs' blood, tissue fluid included, and the centre's: what
    /// every resolved cycle conserves.
    fn blood(y: &State) -> f64 {
        2.0 * (Leg::calf_venous_volume(y) + y[THIGH] + y[TISSUE]) + y[CENTRAL]
    }

    /// A bout's changes approaching its rhythm: `steady` plus `approach`
    /// shrinking by `ratio` a cycle, for cycle `k`.
    fn approaching(steady: &State, approach: &State, ratio: f64, k: i32) -> State {
        steady + approach * ratio.powi(k)
    }

    #[test]
    fn a_run_whose_equations_break_down_ends_with_a_typed_error_not_a_hang() {
        let mut sim = Simulation::new(Person::default(), Valves::Competent, 0.0).expect("valid");
        assert!(sim.solved().is_ok());
        sim.rest(Posture::Sitting, 600.0);
        // A state no input can produce: the slopes turn NaN from here.
        sim.y[CENTRAL] = f64::NAN;
        sim.rest(Posture::Sitting, 600.0);
        sim.exercise(Activity::Walk { speed_kmh: 4.0 }, Posture::Standing, 300);
        sim.rest(Posture::Standing, 3_600.0);
        // Time still passes, so every caller's loop ends …
        assert!(sim.time() >= 4_800.0, "{}", sim.time());
        // … and the run says it stalled, where it did.
        match sim.solved() {
            Err(Error::ModelStalled { at_s }) => assert!((at_s - 600.0).abs() < 1e-6, "{at_s}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_approach_jump_lands_where_the_cycles_would_when_every_state_shares_the_drives_ratio() {
        let mut steady = State::zeros();
        steady[PUMPED] = 8.0;
        steady[CENTRAL] = -0.5;
        steady[CALF_DEEP] = 0.25;
        let mut approach = State::zeros();
        approach[CALF_DEEP] = -0.6;
        approach[CENTRAL] = 2.4;
        approach[CALF_SUPERFICIAL] = -0.6;
        approach[PUMPED] = -2.0;
        approach[EXERCISE] = 0.05;
        let ratio = 0.94;
        let [older, earlier, change] = [0, 1, 2].map(|k| approaching(&steady, &approach, ratio, k));
        let jump = approach_jump(&(change - earlier), &(earlier - older), ratio);
        assert_eq!(
            jump, ENVELOPE_CYCLES,
            "nothing strays, nothing holds it back"
        );
        let resolved: State = (3..3 + 20)
            .map(|k| approaching(&steady, &approach, ratio, k))
            .sum();
        let advance = approach_advance(&change, &earlier, ratio, 20);
        assert!(
            (advance - resolved).amax() < 1e-9,
            "{advance} vs {resolved}"
        );
        assert!(
            blood(&advance).abs() < 1e-9,
            "blood is conserved: {}",
            blood(&advance)
        );
    }

    #[test]
    fn an_approach_jump_is_held_back_by_a_state_drifting_at_its_own_pace() {
        // The calf's deep veins approach with the drive; the tissue fluid
        // keeps gaining the same extra each cycle (a ratio of 1), which the
        // drive's shrinking would undercount.
        let ratio = 0.9;
        let mut approach = State::zeros();
        approach[CALF_DEEP] = -1.0;
        let [older, earlier, change] = [0, 1, 2].map(|k| {
            let mut c = approaching(&State::zeros(), &approach, ratio, k);
            c[TISSUE] = 0.002 * f64::from(k);
            c
        });
        let last = change - earlier;
        let jump = approach_jump(&last, &(earlier - older), ratio);
        assert!((2..ENVELOPE_CYCLES).contains(&jump), "{jump}");
        // Just inside the tissue's 0.2 mL at the jump, beyond it a cycle on.
        let strays = |j: u64| (last[TISSUE] * (carried(1.0, j) - carried(ratio, j))).abs();
        assert!(
            strays(jump) <= ENVELOPE_TOLERANCE[TISSUE],
            "{}",
            strays(jump)
        );
        assert!(
            strays(jump + 1) > ENVELOPE_TOLERANCE[TISSUE],
            "{}",
            strays(jump + 1)
        );
    }

    #[test]
    fn an_envelope_jump_conserves_blood_when_it_carries_the_superficial_veins_geometrically() {
        // A cycle in a bout's approach: the superficial veins drain into the
        // deep ones and relax towards their orbit, their change halving
        // from one cycle to the next; blood moves, none is made or lost.
        let mut earlier = State::zeros();
        earlier[CALF_SUPERFICIAL] = -0.4;
        earlier[CALF_DEEP] = 0.3;
        earlier[CREEP_DEEP] = 0.1;
        let mut change = State::zeros();
        change[CALF_SUPERFICIAL] = -0.2;
        change[CALF_DEEP] = 0.1;
        change[TISSUE] = 0.05;
        change[CREEP_DEEP] = 0.05;
        assert!(
            blood(&change).abs() < 1e-12,
            "the test's cycle conserves blood"
        );
        let advance = envelope_advance(&change, &earlier, 20);
        assert!(
            advance[CALF_SUPERFICIAL] > 20.0 * change[CALF_SUPERFICIAL],
            "carried geometrically, the superficial veins empty less than linearly: {}",
            advance[CALF_SUPERFICIAL]
        );
        assert!(blood(&advance).abs() < 1e-9, "{}", blood(&advance));
    }
}
