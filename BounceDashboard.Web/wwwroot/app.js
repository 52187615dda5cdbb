// The few things only the browser knows. No eval, no inline script: the page's JS interop calls these by name.
window.bounceDashboard = {
    // The browser's IANA time zone ("Europe/Paris"), so dates show in the user's local time.
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
};
