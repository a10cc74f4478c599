// Placeholder replaced by the native layer work; keeps `npm ci` green meanwhile.
console.log('[ptp-conform] native addon: not yet built');
