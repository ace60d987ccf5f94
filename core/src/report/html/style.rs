//! The page's style sheet: A4 print first, readable on screen too.

/// The inline style sheet. Rows never split across pages; table headers
/// repeat on every page; charts and the sign-off keep together.
pub(super) const CSS: &str = r#"
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
@page { @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; } }
html { font: 9.5pt/1.35 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111; }
body { margin: 0 auto; max-width: 182mm; }
@media screen { body { padding: 10mm; } }
header { margin-bottom: 6pt; }
.org { font-size: 12pt; font-weight: bold; color: #1f3b57; margin: 0 0 4pt; }
h1 { font-size: 17pt; margin: 0; color: #1f3b57; }
.subtitle { margin: 2pt 0 8pt; color: #444; }
h2 { font-size: 12.5pt; margin: 14pt 0 6pt; padding-bottom: 2pt; color: #1f3b57;
     border-bottom: 1.2pt solid #1f3b57; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 10pt 0 4pt; break-after: avoid; }
h3 .count { font-weight: normal; color: #555; }
p { margin: 3pt 0 5pt; }
table { width: 100%; border-collapse: collapse; margin: 3pt 0 8pt; }
th, td { border: 0.6pt solid #9aa4ae; padding: 2.5pt 4pt; vertical-align: top; text-align: left;
         overflow-wrap: break-word; }
th { background: #e6ebf0; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.facts th { width: 30%; background: #f3f5f7; font-weight: normal; color: #333; }
.mono, .digest, code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; }
.digest { font-size: 7pt; color: #444; }
.small { font-size: 7.5pt; color: #444; }
.num { text-align: right; }
.count { font-weight: bold; }
.cases { table-layout: fixed; }
.cases tr.sampled td:first-child { border-left: 2.5pt solid #1f3b57; }
.sev { font-size: 7.5pt; padding: 0 3pt; border: 0.5pt solid #888; border-radius: 2pt; }
.sev.high { background: #f6d5d0; }
.sev.medium { background: #f8ebc8; }
.sev.low { background: #e3eef6; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 8pt 16pt; }
figure { margin: 0; break-inside: avoid; }
figcaption { font-weight: bold; font-size: 9pt; margin-bottom: 2pt; }
svg.chart { width: 100%; height: auto; display: block; }
svg text { font-size: 8px; fill: #333; }
svg .bar { fill: #3d6f99; }
svg .axis { stroke: #333; stroke-width: 0.8; }
svg .grid { stroke: #aaa; stroke-width: 0.5; stroke-dasharray: 2 2; }
.note { color: #444; font-size: 8pt; }
.overview { break-inside: avoid; }
.findings th:nth-child(1) { width: 22%; }
.findings th:nth-child(2) { width: 15%; }
.findings th:nth-child(3) { width: 14%; }
.findings th:nth-child(5) { width: 19%; }
.review th:first-child { width: 4%; }
.review td.num { white-space: nowrap; }
.review th.kind { width: 9%; }
.review th.case { width: 29%; }
.review th.decision { width: 15%; }
.review th.notes { width: 17%; }
.review td.blank { height: 30pt; }
.sign { break-inside: avoid; }
.sign table.lines th { width: 22%; border: none; background: none; vertical-align: bottom; }
.sign table.lines td { height: 26pt; border: none; border-bottom: 0.8pt solid #111; }
"#;
