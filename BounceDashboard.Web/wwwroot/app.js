// The few things only the browser knows. No eval, no inline script: the page's JS interop calls these by name.
window.bounceDashboard = {
    // The browser's IANA time zone ("Europe/Paris"), so dates show in the user's local time.
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,

    // Fetches a download (with the sign-in cookie), reporting the bytes received to dotNetRef.ReportProgress at most
    // four times a second, then saves it under fileName. Answers { ok, status, message, bytes }; never throws for an
    // HTTP error or a lost connection, so the page can say what went wrong.
    download: async (url, fileName, dotNetRef) => {
        let response;
        try {
            response = await fetch(url, { credentials: 'same-origin', redirect: 'manual' });
        } catch (e) {
            return { ok: false, status: 0, message: String(e), bytes: 0 };
        }
        if (response.type === 'opaqueredirect') {
            return { ok: false, status: 401, message: 'signed out', bytes: 0 };
        }
        if (!response.ok) {
            let message = null;
            try {
                const problem = await response.json();
                message = problem.errors ? Object.values(problem.errors).flat().join(' ') : (problem.detail || problem.title || null);
            } catch {
                // Not problem details: the status says enough.
            }
            return { ok: false, status: response.status, message, bytes: 0 };
        }
        const total = Number(response.headers.get('Content-Length')) || null;
        const reader = response.body.getReader();
        const chunks = [];
        let received = 0;
        let reported = 0;
        try {
            for (;;) {
                const { done, value } = await reader.read();
                if (done) {
                    break;
                }
                chunks.push(value);
                received += value.length;
                const now = performance.now();
                if (dotNetRef && now - reported > 250) {
                    reported = now;
                    dotNetRef.invokeMethodAsync('ReportProgress', received, total);
                }
            }
        } catch (e) {
            return { ok: false, status: 0, message: String(e), bytes: received };
        }
        if (dotNetRef) {
            await dotNetRef.invokeMethodAsync('ReportProgress', received, total);
        }
        const blob = new Blob(chunks, { type: response.headers.get('Content-Type') || 'application/octet-stream' });
        const link = document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = fileName;
        link.style.display = 'none';
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 60000);
        return { ok: true, status: response.status, message: null, bytes: received };
    },
};
