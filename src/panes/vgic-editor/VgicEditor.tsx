/** The vGIC-v3 redistributor layout editor (filled by the vGIC issue). */
export function VgicEditor() {
  return (
    <section className="pane vgic-editor" aria-labelledby="vgic-title">
      <h2 id="vgic-title">vGIC-v3 redistributor layout</h2>
      <p className="placeholder">The layout editor appears here.</p>
    </section>
  );
}
