// The coverage map, drawn by Leaflet (SVG renderer): each unit's imported outline (or a district's
// headquarters point) shaded by its coverage; hover names the unit and its coverage, a click shows all
// its figures beside the map. Loaded lazily with the map view only.
import { useEffect, useRef } from 'react';
import L from '../map/leaflet.ts';
import '../map/map.css';
import type { MapSettings } from '../map/map.api.ts';
import type { CoverageRow, ShapeFeature } from './schemes.api.ts';
import { colourOf } from './coverage.scale.ts';

export interface CoverageMapProps {
  features: ShapeFeature[];
  /** The figures by unit id. */
  rows: Map<string, CoverageRow>;
  settings: MapSettings;
  label: string;
  zoom: { in: string; out: string };
  /** The hover text of a unit (its name and coverage, in the page's language). */
  tooltip: (f: ShapeFeature, row: CoverageRow | undefined) => string;
  onPick: (unitId: string) => void;
  /** The unit whose figures are shown beside the map: drawn with a heavier edge. */
  picked: string | null;
}

const INDIA_VIEW: L.LatLngExpression = [22.5, 80];

export default function CoverageMap({ features, rows, settings, label, zoom, tooltip, onPick, picked }: CoverageMapProps) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const fitted = useRef<ShapeFeature[] | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const layers = useRef(new Map<string, L.Path>());

  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, { zoomControl: false, zoomSnap: 0.25, minZoom: 4, maxZoom: 18, renderer: L.svg({ padding: 0.5 }) });
    L.control.zoom({ zoomInTitle: zoom.in, zoomOutTitle: zoom.out }).addTo(m);
    m.setView(INDIA_VIEW, 5);
    map.current = m;
    fitted.current = null;
    return () => { m.remove(); map.current = null; };
  }, [zoom.in, zoom.out]);

  // Tiles only when the state configures a tile server; otherwise the outlines alone.
  useEffect(() => {
    const m = map.current;
    if (!m || !settings.tileUrl) return;
    const tiles = L.tileLayer(settings.tileUrl, { attribution: settings.attribution ?? '', maxZoom: 18 }).addTo(m);
    return () => { tiles.remove(); };
  }, [settings.tileUrl, settings.attribution, zoom.in, zoom.out]);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const styleOf = (f: ShapeFeature) => {
      const { colour, klass } = colourOf(rows.get(f.id));
      return { fill: colour, className: `cov-unit cov-${klass} cov-u-${f.id}${f.properties.shape === 'headquarters' ? ' cov-hq' : ''}` };
    };
    const layer = L.geoJSON(features as unknown as GeoJSON.Feature[], {
      style: (f) => {
        const s = styleOf(f as unknown as ShapeFeature);
        return { className: s.className, color: '#37474f', weight: 1, fillColor: s.fill, fillOpacity: 0.8 };
      },
      pointToLayer: (f, at) => {
        const s = styleOf(f as unknown as ShapeFeature);
        return L.circleMarker(at, { radius: 10, className: s.className, color: '#37474f', weight: 2, dashArray: '3 2', fillColor: s.fill, fillOpacity: 0.9 });
      },
      onEachFeature: (f, l) => {
        const feature = f as unknown as ShapeFeature;
        l.bindTooltip(tooltip(feature, rows.get(feature.id)), { sticky: true });
        l.on('click', () => pick.current(feature.id));
        layers.current.set(feature.id, l as L.Path);
      },
    }).addTo(m);
    // The view is fitted when the shapes change, not when only the figures do (a new claim keeps the view).
    if (fitted.current !== features) {
      fitted.current = features;
      const bounds = layer.getBounds();
      if (bounds.isValid()) m.fitBounds(bounds, { padding: [12, 12], maxZoom: 13, animate: false });
      else m.setView(INDIA_VIEW, 5, { animate: false });
    }
    return () => { layer.remove(); layers.current.clear(); };
  }, [features, rows, tooltip]);

  // The picked unit's edge, changed in place (redrawing every outline on each pick would be slow at 3,700).
  useEffect(() => {
    const l = picked ? layers.current.get(picked) : undefined;
    if (!l) return;
    l.setStyle({ weight: 3.5 });
    l.bringToFront();
    return () => { l.setStyle({ weight: l instanceof L.CircleMarker ? 2 : 1 }); };
  }, [picked, features, rows, tooltip]);

  return <div ref={el} className="map-leaflet coverage-map" role="region" aria-label={label} data-testid="coverage-map" />;
}
