// Leaflet, made global before leaflet.markercluster (a UMD plugin that extends the global L) loads.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';

(globalThis as unknown as { L: typeof L }).L = L;

export default L;
