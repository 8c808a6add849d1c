/* The reader's light/dark choice (zhiku.js stores it), applied in <head> before the page is drawn
   so nothing flashes. A file of its own rather than inline: pages carry no inline scripts. */
try {
  var t = localStorage.getItem("zhiku-theme");
  if (t === "dark" || t === "light") document.documentElement.setAttribute("data-theme", t);
} catch (e) { /* storage blocked: follow the system */ }
