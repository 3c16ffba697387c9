// The search page: on a narrow screen the facets start folded, so the results come first.
(function () {
  var panel = document.querySelector(".facets-panel");
  if (panel && window.matchMedia("(max-width: 59.99rem)").matches) {
    panel.open = false;
  }
})();
