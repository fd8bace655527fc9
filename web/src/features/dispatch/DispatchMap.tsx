// The dispatcher's live map, drawn by Leaflet: district outlines and facility points as on the
// facility map (features/map), background tiles only when the state configures a tile server, the
// vehicles coloured by status and moved in place as their positions arrive, the calls that are open,
// and the place of the call being taken (a click on the map sets it). Loaded lazily with the screen.
import { useEffect, useRef } from 'react';
import L from '../map/leaflet.ts';
import '../map/map.css';
import './dispatch.css';
import type { Feature } from '../geo/geo.api.ts';
import type { MapSettings } from '../map/map.api.ts';
import type { LiveCall, LiveVehicle } from './dispatch.api.ts';

export interface FacilityDot { id: string; name: string; latitude: number; longitude: number }

export interface DispatchMapProps {
  features: Feature[];
  facilities: FacilityDot[];
  vehicles: LiveVehicle[];
  calls: LiveCall[];
  picked: { latitude: number; longitude: number } | null;
  selectedCallId: string | null;
  onPick: (latitude: number, longitude: number) => void;
  onSelectCall: (id: string) => void;
  settings: MapSettings;
  lang: string;
  label: string;
  labels: { zoomIn: string; zoomOut: string; picked: string; vehicle: (v: LiveVehicle) => string; call: (c: LiveCall) => string };
}

const INDIA_VIEW: L.LatLngExpression = [22.5, 80];

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function vehicleIcon(v: LiveVehicle, label: string) {
  return L.divIcon({
    className: `veh veh-${v.status}`,
    html: `<span role="img" aria-label="${escape(label)}">${escape(v.service)}</span>`,
    iconSize: L.point(30, 20),
    iconAnchor: L.point(15, 10),
  });
}

function callIcon(c: LiveCall, selected: boolean, label: string) {
  return L.divIcon({
    className: `call-pin call-${c.status}${selected ? ' call-selected' : ''}`,
    html: `<span role="img" aria-label="${escape(label)}">!</span>`,
    iconSize: L.point(22, 22),
    iconAnchor: L.point(11, 11),
  });
}

export default function DispatchMap(props: DispatchMapProps) {
  const { features, facilities, vehicles, calls, picked, selectedCallId, settings, lang, label, labels } = props;
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const vehicleMarkers = useRef(new Map<string, { marker: L.Marker; key: string }>());
  const callMarkers = useRef(new Map<string, { marker: L.Marker; key: string }>());
  const pickedMarker = useRef<L.Marker | null>(null);
  const handlers = useRef({ onPick: props.onPick, onSelectCall: props.onSelectCall });
  handlers.current = { onPick: props.onPick, onSelectCall: props.onSelectCall };
  const fitted = useRef(false);

  // The map itself, once; a click places the call being taken.
  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, { zoomControl: false, zoomSnap: 0.25, minZoom: 4, maxZoom: 18, renderer: L.svg({ padding: 0.5 }) });
    L.control.zoom({ zoomInTitle: labels.zoomIn, zoomOutTitle: labels.zoomOut }).addTo(m);
    m.setView(INDIA_VIEW, 5);
    m.on('click', (e: L.LeafletMouseEvent) => handlers.current.onPick(Number(e.latlng.lat.toFixed(5)), Number(e.latlng.lng.toFixed(5))));
    map.current = m;
    const vm = vehicleMarkers.current;
    const cm = callMarkers.current;
    return () => { m.remove(); map.current = null; vm.clear(); cm.clear(); pickedMarker.current = null; fitted.current = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [labels.zoomIn, labels.zoomOut]);

  // Tiles only when the state configures a tile server; otherwise outlines and points only.
  useEffect(() => {
    const m = map.current;
    if (!m || !settings.tileUrl) return;
    const tiles = L.tileLayer(settings.tileUrl, { attribution: settings.attribution ?? '', maxZoom: 18 }).addTo(m);
    tiles.bringToBack();
    return () => { tiles.remove(); };
  }, [settings.tileUrl, settings.attribution, labels.zoomIn, labels.zoomOut]);

  // Outlines and facilities; the view fits them once (later moves of vehicles do not pull the view).
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const outline = L.geoJSON(features as unknown as GeoJSON.FeatureCollection['features'], {
      style: { className: 'map-outline', color: '#5f7178', weight: 1.5, fillColor: '#e3ece5', fillOpacity: 0.35 },
      // The outline does not take the click meant for the map (placing a call).
      interactive: false,
    }).addTo(m);
    const dots = L.layerGroup(facilities.map((f) => L.circleMarker([f.latitude, f.longitude], {
      radius: 3.5, className: 'fac-dot', color: '#fff', weight: 1, fillColor: '#5f7178', fillOpacity: 0.8, bubblingMouseEvents: true,
    }).bindTooltip(f.name))).addTo(m);
    if (!fitted.current) {
      const bounds = L.latLngBounds([]);
      if (features.length) bounds.extend(outline.getBounds());
      for (const f of facilities) bounds.extend([f.latitude, f.longitude]);
      if (bounds.isValid()) { m.fitBounds(bounds, { padding: [12, 12], maxZoom: 13, animate: false }); fitted.current = true; }
    }
    return () => { outline.remove(); dots.remove(); };
  }, [features, facilities, lang]);

  // Vehicles: moved in place (a marker per vehicle, kept), their look changed with their status.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const seen = new Set<string>();
    for (const v of vehicles) {
      if (!v.position) continue;
      seen.add(v.id);
      const key = `${v.status}|${lang}`;
      const at: L.LatLngExpression = [v.position.latitude, v.position.longitude];
      const had = vehicleMarkers.current.get(v.id);
      if (had) {
        had.marker.setLatLng(at);
        if (had.key !== key) { had.marker.setIcon(vehicleIcon(v, labels.vehicle(v))); had.key = key; had.marker.getElement()?.setAttribute('data-vehicle', v.id); }
        had.marker.setTooltipContent(labels.vehicle(v));
      } else {
        const marker = L.marker(at, { icon: vehicleIcon(v, labels.vehicle(v)), keyboard: false, zIndexOffset: 500 }).bindTooltip(labels.vehicle(v)).addTo(m);
        marker.getElement()?.setAttribute('data-vehicle', v.id);
        vehicleMarkers.current.set(v.id, { marker, key });
      }
    }
    for (const [id, { marker }] of vehicleMarkers.current) if (!seen.has(id)) { marker.remove(); vehicleMarkers.current.delete(id); }
  }, [vehicles, lang, labels]);

  // Open calls; the selected one stands out. A click on one selects it.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const seen = new Set<string>();
    for (const c of calls) {
      seen.add(c.id);
      const selected = c.id === selectedCallId;
      const key = `${c.status}|${selected}|${lang}`;
      const had = callMarkers.current.get(c.id);
      if (had) {
        had.marker.setLatLng([c.latitude, c.longitude]);
        if (had.key !== key) { had.marker.setIcon(callIcon(c, selected, labels.call(c))); had.key = key; had.marker.setTooltipContent(labels.call(c)); }
      } else {
        const marker = L.marker([c.latitude, c.longitude], { icon: callIcon(c, selected, labels.call(c)), keyboard: false, zIndexOffset: 300 })
          .bindTooltip(labels.call(c)).on('click', () => handlers.current.onSelectCall(c.id)).addTo(m);
        marker.getElement()?.setAttribute('data-call', c.id);
        callMarkers.current.set(c.id, { marker, key });
      }
    }
    for (const [id, { marker }] of callMarkers.current) if (!seen.has(id)) { marker.remove(); callMarkers.current.delete(id); }
  }, [calls, selectedCallId, lang, labels]);

  // The place of the call being taken.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    if (!picked) { pickedMarker.current?.remove(); pickedMarker.current = null; return; }
    const icon = L.divIcon({ className: 'call-pin call-new', html: `<span role="img" aria-label="${escape(labels.picked)}">+</span>`, iconSize: L.point(24, 24), iconAnchor: L.point(12, 12) });
    if (pickedMarker.current) pickedMarker.current.setLatLng([picked.latitude, picked.longitude]).setIcon(icon);
    else pickedMarker.current = L.marker([picked.latitude, picked.longitude], { icon, keyboard: false, interactive: false, zIndexOffset: 800 }).addTo(m);
  }, [picked, labels.picked]);

  return <div ref={el} className="map-leaflet dispatch-map" role="region" aria-label={label} data-testid="dispatch-map" />;
}
