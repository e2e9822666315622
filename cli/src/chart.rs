//! Charts of a model run: ankle venous pressure and calf venous volume.

use std::path::Path;

use anyhow::{Context, Result, bail};
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};
use second_heart_core::pump::Sample;

/// DejaVu Sans (Bitstream Vera licence, assets/fonts/LICENSE_DEJAVU),
/// bundled so charts need no system fonts.
const FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");

/// Draws `series` to `path` (PNG or SVG by extension).
pub fn draw(path: &Path, series: &[Sample]) -> Result<()> {
    if series.len() < 2 {
        bail!("nothing to plot: the run kept fewer than two samples");
    }
    // Registering twice is harmless; failure means the bundled font is broken.
    register_font("sans-serif", FontStyle::Normal, FONT)
        .map_err(|_| anyhow::anyhow!("the bundled chart font is unreadable"))?;
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg") => plot(
            SVGBackend::new(path, (1000, 700)).into_drawing_area(),
            series,
        ),
        Some("png") => plot(
            BitMapBackend::new(path, (1000, 700)).into_drawing_area(),
            series,
        ),
        _ => bail!("a chart is .png or .svg (got {})", path.display()),
    }
    .with_context(|| format!("cannot draw {}", path.display()))
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
