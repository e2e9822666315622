//! Charts: a model run (ankle venous pressure and calf venous volume) and
//! the history of days (steps and litres pumped).

use std::path::Path;

use anyhow::{Context, Result, bail};
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};
use second_heart_core::pump::Sample;

/// DejaVu Sans (Bitstream Vera licence, assets/fonts/LICENSE_DEJAVU),
/// bundled so charts need no system fonts.
const FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");

/// Something that draws itself on any plotters backend.
trait Painter {
    fn paint<B: DrawingBackend>(&self, area: DrawingArea<B, plotters::coord::Shift>) -> Result<()>
    where
        B::ErrorType: 'static;
}

/// Renders `painter` to `path`, PNG or SVG by extension.
fn render(path: &Path, painter: &impl Painter) -> Result<()> {
    // Registering twice is harmless; failure means the bundled font is broken.
    register_font("sans-serif", FontStyle::Normal, FONT)
        .map_err(|_| anyhow::anyhow!("the bundled chart font is unreadable"))?;
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg") => painter.paint(SVGBackend::new(path, (1000, 700)).into_drawing_area()),
        Some("png") => painter.paint(BitMapBackend::new(path, (1000, 700)).into_drawing_area()),
        _ => bail!("a chart is .png or .svg (got {})", path.display()),
    }
    .with_context(|| format!("cannot draw {}", path.display()))
}

/// Draws `series` to `path` (PNG or SVG by extension).
pub fn draw(path: &Path, series: &[Sample]) -> Result<()> {
    if series.len() < 2 {
        bail!("nothing to plot: the run kept fewer than two samples");
    }
    render(path, &ModelRun(series))
}

struct ModelRun<'a>(&'a [Sample]);

impl Painter for ModelRun<'_> {
    fn paint<B: DrawingBackend>(&self, area: DrawingArea<B, plotters::coord::Shift>) -> Result<()>
    where
        B::ErrorType: 'static,
    {
        plot(area, self.0)
    }
}

/// One bar of the history chart.
pub struct Bar {
    /// The label under it ("Mon 16", "W47", "Nov").
    pub label: String,
    /// Steps.
    pub steps: f64,
    /// Litres pumped.
    pub litres: f64,
}

/// Draws steps and litres pumped per day (or week, month) to `path`,
/// with the steps goal as a line.
pub fn draw_history(path: &Path, bars: &[Bar], steps_goal: f64) -> Result<()> {
    if bars.is_empty() {
        bail!("nothing to plot: no days");
    }
    render(path, &History { bars, steps_goal })
}

struct History<'a> {
    bars: &'a [Bar],
    steps_goal: f64,
}

impl Painter for History<'_> {
    fn paint<B: DrawingBackend>(&self, area: DrawingArea<B, plotters::coord::Shift>) -> Result<()>
    where
        B::ErrorType: 'static,
    {
        let e = |e: DrawingAreaErrorKind<B::ErrorType>| anyhow::anyhow!("{e}");
        area.fill(&WHITE).map_err(e)?;
        let (top, bottom) = area.split_vertically(350);
        let n = self.bars.len();
        let labels: Vec<String> = self.bars.iter().map(|b| b.label.clone()).collect();
        let panel = |area: &DrawingArea<B, plotters::coord::Shift>,
                     caption: &str,
                     value: &dyn Fn(&Bar) -> f64,
                     goal: Option<f64>,
                     color: RGBColor|
         -> Result<()> {
            let high = self
                .bars
                .iter()
                .map(value)
                .fold(goal.unwrap_or(0.0), f64::max)
                .max(1.0)
                * 1.1;
            let mut chart = ChartBuilder::on(area)
                .caption(caption, ("sans-serif", 22))
                .margin(12)
                .x_label_area_size(40)
                .y_label_area_size(70)
                .build_cartesian_2d((0..n).into_segmented(), 0.0..high)
                .map_err(e)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_label_formatter(&|x| match x {
                    SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
                    _ => String::new(),
                })
                .draw()
                .map_err(e)?;
            chart
                .draw_series(self.bars.iter().enumerate().map(|(i, b)| {
                    Rectangle::new(
                        [
                            (SegmentValue::Exact(i), 0.0),
                            (SegmentValue::Exact(i + 1), value(b)),
                        ],
                        color.mix(0.7).filled(),
                    )
                }))
                .map_err(e)?;
            if let Some(goal) = goal {
                chart
                    .draw_series(LineSeries::new(
                        [
                            (SegmentValue::Exact(0), goal),
                            (SegmentValue::Exact(n), goal),
                        ],
                        BLACK.stroke_width(2),
                    ))
                    .map_err(e)?;
            }
            Ok(())
        };
        panel(
            &top,
            "Steps (line: goal)",
            &|b| b.steps,
            Some(self.steps_goal),
            BLUE,
        )?;
        panel(
            &bottom,
            "Blood pumped by the calves, litres",
            &|b| b.litres,
            None,
            RED,
        )?;
        area.present().map_err(e)?;
        Ok(())
    }
}

fn plot<B: DrawingBackend>(
    area: DrawingArea<B, plotters::coord::Shift>,
    series: &[Sample],
) -> Result<()>
where
    B::ErrorType: 'static,
{
    area.fill(&WHITE).map_err(|e| anyhow::anyhow!("{e}"))?;
    let (top, bottom) = area.split_vertically(350);
    let minutes = |s: &Sample| s.t_s / 60.0;
    let (start, end) = (minutes(&series[0]), minutes(&series[series.len() - 1]));
    let panel = |area: &DrawingArea<B, plotters::coord::Shift>,
                 caption: &str,
                 unit: &str,
                 value: &dyn Fn(&Sample) -> f64,
                 color: RGBColor|
     -> Result<()> {
        let (low, high) = series
            .iter()
            .map(value)
            .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let pad = ((high - low) * 0.1).max(1.0);
        let mut chart = ChartBuilder::on(area)
            .caption(caption, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(start..end.max(start + 1e-6), (low - pad)..(high + pad))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        chart
            .configure_mesh()
            .x_desc("minutes")
            .y_desc(unit)
            .draw()
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        chart
            .draw_series(LineSeries::new(
                series.iter().map(|s| (minutes(s), value(s))),
                &color,
            ))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(())
    };
    panel(
        &top,
        "Ankle venous pressure",
        "mmHg",
        &|s: &Sample| s.outputs.ankle_venous_pressure_mmhg,
        RED,
    )?;
    panel(
        &bottom,
        "Calf venous volume",
        "mL",
        &|s: &Sample| s.outputs.calf_venous_volume_ml,
        BLUE,
    )?;
    area.present().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}
