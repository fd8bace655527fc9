// The facility map, drawn by Leaflet (SVG renderer): pan, zoom, clustered points, district outlines
// and, when the state serves them, background tiles. Loaded lazily with the map screen.
import { useEffect, useRef } from 'react';
import L from './leaflet.ts';
import 'leaflet.markercluster';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import './map.css';
import type { Feature } from '../geo/geo.api.ts';
import type { MapSettings } from './map.api.ts';

export interface MapPoint { id: string; name: string; latitude: number; longitude: number; registered: boolean }

export interface LeafletMapProps {
  features: Feature[];
  points: MapPoint[];
  settings: MapSettings;
  lang: string;
  label: string;
  labels: { zoomIn: string; zoomOut: string; cluster: (n: number) => string };
  num: (n: number) => string;
}

const COLOURS = { registered: '#0b6e4f', listed: '#c2570c' };
const INDIA_VIEW: L.LatLngExpression = [22.5, 80];

export default function LeafletMap({ features, points, settings, lang, label, labels, num }: LeafletMapProps) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);

  // The map itself, once; the zoom buttons in the UI language.
  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, { zoomControl: false, zoomSnap: 0.25, minZoom: 4, maxZoom: 18, renderer: L.svg({ padding: 0.5 }) });
    L.control.zoom({ zoomInTitle: labels.zoomIn, zoomOutTitle: labels.zoomOut }).addTo(m);
    m.setView(INDIA_VIEW, 5);
    map.current = m;
    return () => { m.remove(); map.current = null; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [labels.zoomIn, labels.zoomOut]);

  // Tiles only when the state configures a tile server.
  useEffect(() => {
    const m = map.current;
    if (!m || !settings.tileUrl) return;
    const tiles = L.tileLayer(settings.tileUrl, { attribution: settings.attribution ?? '', maxZoom: 18 }).addTo(m);
    return () => { tiles.remove(); };
  }, [settings.tileUrl, settings.attribution, labels.zoomIn, labels.zoomOut]);

  // Outlines and points; the view fits the outline and the points inside it.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const outline = L.geoJSON(features as unknown as GeoJSON.FeatureCollection['features'], {
      style: { className: 'map-outline', color: '#5f7178', weight: 1.5, fillColor: '#e3ece5', fillOpacity: 0.35 },
      onEachFeature: (f, layer) => {
        const p = (f.properties ?? {}) as { name?: string; nameHi?: string | null };
        const name = lang === 'hi' && p.nameHi ? p.nameHi : p.name;
        if (name) layer.bindTooltip(name, { sticky: true });
      },
    }).addTo(m);
    const clusters = L.markerClusterGroup({
      showCoverageOnHover: false,
      chunkedLoading: true,
      maxClusterRadius: 60,
      iconCreateFunction: (c) => {
        const n = c.getChildCount();
        const size = n < 10 ? 'small' : n < 100 ? 'medium' : 'large';
        return L.divIcon({
          html: `<div role="img" aria-label="${labels.cluster(n)}"><span>${num(n)}</span></div>`,
          className: `marker-cluster marker-cluster-${size}`,
          iconSize: L.point(40, 40),
        });
      },
    });
    // Registered points last, so they are drawn on top of listed ones when spread out.
    const sorted = [...points].sort((a, b) => Number(a.registered) - Number(b.registered));
    clusters.addLayers(sorted.map((p) => {
      const kind = p.registered ? 'registered' : 'listed';
      const marker = L.circleMarker([p.latitude, p.longitude], {
        radius: 6, className: `pt pt-${kind}`, color: '#fff', weight: 1, fillColor: COLOURS[kind], fillOpacity: 0.9,
      });
      marker.bindTooltip(p.name);
      marker.on('click', () => { window.location.hash = `#/facilities/${encodeURIComponent(p.id)}`; });
      return marker;
    }));
    m.addLayer(clusters);

    const bounds = L.latLngBounds([]);
    if (features.length) bounds.extend(outline.getBounds());
    for (const p of points) bounds.extend([p.latitude, p.longitude]);
    if (bounds.isValid()) m.fitBounds(bounds, { padding: [12, 12], maxZoom: 13, animate: false });
    else m.setView(INDIA_VIEW, 5, { animate: false });
    return () => { outline.remove(); clusters.remove(); };
  }, [features, points, lang, labels, num]);

  return <div ref={el} className="map-leaflet" role="region" aria-label={label} data-testid="facility-map" />;
}
