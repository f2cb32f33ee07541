"use strict";
// Draws the sales dashboard's charts (analytics/templates/analytics/dashboard.html) with the vendored
// Chart.js, from the figures the page carries as JSON: the admin's Content-Security-Policy runs no
// inline script, so this file is where the page's code lives.
(function () {
    const source = document.getElementById("sales-days");
    if (!source) {
        return;
    }
    const figures = JSON.parse(source.textContent);
    const style = getComputedStyle(document.documentElement);
    const colour = (name) => style.getPropertyValue(name).trim();
    const dayLabel = (isoDate) =>
        new Date(`${isoDate}T00:00:00`).toLocaleDateString(undefined, { day: "numeric", month: "short" });

    Chart.defaults.color = colour("--body-quiet-color");
    Chart.defaults.borderColor = colour("--hairline-color");
    const options = (valueLabel) => ({
        maintainAspectRatio: false,
        animation: false, // the figures are read, not watched: drawn at once
        interaction: { mode: "index", intersect: false },
        plugins: {
            legend: { display: false },
            tooltip: { callbacks: { title: (items) => figures.dates[items[0].dataIndex], label: valueLabel } },
        },
        scales: {
            x: { ticks: { callback: (value, index) => dayLabel(figures.dates[index]), autoSkipPadding: 8 } },
            y: { beginAtZero: true, ticks: { precision: 0 } },
        },
    });

    new Chart(document.getElementById("sales-revenue-chart"), {
        type: "line",
        data: {
            labels: figures.dates,
            datasets: [
                {
                    label: `Revenue (${figures.currency})`,
                    data: figures.revenue.map(Number), // exact decimal strings; a chart needs no more than floats
                    borderColor: colour("--primary"),
                    backgroundColor: colour("--primary"),
                    pointRadius: figures.dates.length > 60 ? 0 : 2,
                    tension: 0.2,
                },
            ],
        },
        options: options((item) => `Revenue: ${figures.currency} ${figures.revenue[item.dataIndex]}`),
    });

    new Chart(document.getElementById("sales-orders-chart"), {
        type: "bar",
        data: {
            labels: figures.dates,
            datasets: [{ label: "Orders", data: figures.orders, backgroundColor: colour("--link-fg") }],
        },
        options: options((item) => `Orders: ${item.raw}`),
    });
})();
