//! A whole recording's result: the totals the app shows, the events in
//! time order, and the timeline the pump model and the sessions take.

use serde::Serialize;

use super::{ActivityDetector, ActivityEvent, DetectorConfig, ImuSample};
use crate::Result;

/// Totals and events of one recording.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detection {
    /// Length of the recording, s.
    pub duration_s: f64,
    /// Steps of both legs inside walking bouts.
    pub steps: u32,
    /// Mean cadence over the walking bouts, steps a minute (`None` without
    /// walking).
    pub cadence_spm: Option<f64>,
    /// Time spent walking, s.
    pub walking_s: f64,
    /// Calf raises counted.
    pub calf_raises: u32,
    /// Ankle pumps counted.
    pub ankle_pumps: u32,
    /// Stretches of posture, in time order.
    pub posture: Vec<ActivityEvent>,
    /// Walking bouts, calf raises and their sets, ankle-pump sets and sock
    /// wear, in time order (steps are left out: see `step_times_s`).
    pub events: Vec<ActivityEvent>,
    /// Every step's time, s, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_times_s: Option<Vec<f64>>,
}

/// Builds a [`Detection`] from events as they come, keeping the steps only
/// as a count unless their times were asked for.
#[derive(Debug, Clone, Default)]
pub struct DetectionBuilder {
    keep_step_times: bool,
    steps: u32,
    step_times: Vec<f64>,
    posture: Vec<ActivityEvent>,
    events: Vec<ActivityEvent>,
}

impl DetectionBuilder {
    /// A builder; `keep_step_times` keeps every step's time.
    pub fn new(keep_step_times: bool) -> Self {
        Self {
            keep_step_times,
            ..Self::default()
        }
    }

    /// Takes one event.
    pub fn add(&mut self, event: ActivityEvent) {
        match event {
            ActivityEvent::Step { t_s, .. } => {
                self.steps += 1;
                if self.keep_step_times {
                    self.step_times.push(t_s);
                }
            }
            ActivityEvent::Posture { .. } => self.posture.push(event),
            _ => self.events.push(event),
        }
    }

    /// The result, for a recording of `duration_s`.
    pub fn build(mut self, duration_s: f64) -> Detection {
        self.posture
            .sort_by(|a, b| event_start(a).total_cmp(&event_start(b)));
        self.events
            .sort_by(|a, b| event_start(a).total_cmp(&event_start(b)));
        self.step_times.sort_by(f64::total_cmp);
        let mut walking_s = 0.0;
        let mut bout_steps = 0u32;
        let mut bouts = 0u32;
        let mut calf_raises = 0;
        let mut ankle_pumps = 0;
        for event in &self.events {
            match *event {
                ActivityEvent::WalkingBout {
                    start_s,
                    end_s,
                    steps,
                    ..
                } => {
                    walking_s += end_s - start_s;
                    bout_steps += steps;
                    bouts += 1;
                }
                ActivityEvent::CalfRaise { .. } => calf_raises += 1,
                ActivityEvent::AnklePumpSet { count, .. } => ankle_pumps += count,
                _ => {}
            }
        }
        // A bout of n steps spans n − 1 step intervals, from its first step
        // to its last.
        let cadence_spm = (walking_s > 0.0)
            .then(|| 60.0 * f64::from(bout_steps.saturating_sub(bouts)) / walking_s);
        Detection {
            duration_s,
            steps: self.steps,
            cadence_spm,
            walking_s,
            calf_raises,
            ankle_pumps,
            posture: self.posture,
            events: self.events,
            step_times_s: self.keep_step_times.then_some(self.step_times),
        }
    }
}

/// When an event starts, s.
pub fn event_start(event: &ActivityEvent) -> f64 {
    match *event {
        ActivityEvent::Step { t_s, .. } => t_s,
        ActivityEvent::WalkingBout { start_s, .. }
        | ActivityEvent::CalfRaise { start_s, .. }
        | ActivityEvent::CalfRaiseSet { start_s, .. }
        | ActivityEvent::AnklePumpSet { start_s, .. }
        | ActivityEvent::Posture { start_s, .. }
        | ActivityEvent::Sock { start_s, .. } => start_s,
    }
}

/// Runs the detector over a stream of samples (a file, a sync) without
/// holding it: memory grows with the events found, not with the samples.
/// Times are counted from the first sample, whatever clock the stream's
/// times run on (seconds since the recording began, the device's uptime or
/// Unix time): the result's events and timeline start at 0.
pub fn detect(
    samples: impl IntoIterator<Item = Result<ImuSample>>,
    config: DetectorConfig,
    keep_step_times: bool,
) -> Result<Detection> {
    let mut detector = ActivityDetector::new(config)?;
    let mut builder = DetectionBuilder::new(keep_step_times);
    let mut first = None;
    let mut last = 0.0;
    for sample in samples {
        let mut sample = sample?;
        let origin = *first.get_or_insert(sample.t_s);
        sample.t_s -= origin;
        for event in detector.push(std::slice::from_ref(&sample))? {
            builder.add(event);
        }
        last = sample.t_s;
    }
    for event in detector.finish() {
        builder.add(event);
    }
    Ok(builder.build(last))
}
