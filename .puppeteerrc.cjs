// The docs script renders with the system's Chromium (Debian package `chromium`); never download a browser.
module.exports = { skipDownload: true };
