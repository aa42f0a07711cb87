import { useShallow } from 'zustand/react/shallow';
import { COLORMAPS, colormapGradient, type ColormapId } from '../render/colormap';
import { useAppStore } from '../store';
import type { HeatmapView } from '../store/settings';
import type { CamMethod } from '../cam/types';
import { SelectField, type Choice } from './SelectField';

const METHODS: Choice<CamMethod>[] = [
  { id: 'cam', label: 'CAM (classifier weights)' },
  { id: 'gradcam', label: 'Grad-CAM (gradients)' },
];

const VIEWS: { id: HeatmapView; label: string }[] = [
  { id: 'overlay', label: 'Overlay' },
  { id: 'side-by-side', label: 'Side by side' },
  { id: 'photo', label: 'Photo only' },
];

export function ColormapLegend() {
  const colormap = useAppStore((s) => s.colormap);
  return (
    <div className="legend" aria-label="Colour scale: cold = no evidence, hot = strongest evidence for the class">
      <span>low</span>
      <span className="legend-bar" style={{ background: colormapGradient(colormap) }} />
      <span>high</span>
    </div>
  );
}

/** View, opacity, colormap and method for heatmaps (the photo shown follows the method: see photos/explainer). */
export function HeatmapControls() {
  const { view, opacity, colormap, camMethod, update } = useAppStore(
    useShallow((s) => ({ view: s.view, opacity: s.opacity, colormap: s.colormap, camMethod: s.camMethod, update: s.updateSettings })),
  );
  return (
    <div className="controls">
      <fieldset className="segmented">
        <legend className="visually-hidden">View</legend>
        {VIEWS.map((v) => (
          <label key={v.id} className={view === v.id ? 'on' : undefined}>
            <input type="radio" name="view" value={v.id} checked={view === v.id} onChange={() => update({ view: v.id })} />
            {v.label}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>Opacity {Math.round(opacity * 100)}%</span>
        <input data-testid="heatmap.opacity" type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => update({ opacity: Number(e.target.value) })} />
      </label>
      <SelectField label="Colours" testId="heatmap.colormap" value={colormap} choices={COLORMAPS} onChange={(id: ColormapId) => update({ colormap: id })} />
      <SelectField label="Method" testId="heatmap.method" value={camMethod} choices={METHODS} onChange={(id: CamMethod) => update({ camMethod: id })} />
      <ColormapLegend />
    </div>
  );
}
