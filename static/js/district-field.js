// The person filter's district field: suggestions as the reader types, from
// /api/districts?q=… (the month names 1,754 places, too many for a select).
// Without this script the field still takes a district's full name.
(function () {
  "use strict";
  var field = document.getElementById("f-district");
  if (!field || !window.fetch) return;
  var list = document.getElementById(field.getAttribute("list"));
  var timer = null;
  var asked = "";

  function show(districts) {
    list.replaceChildren.apply(list, districts.map(function (d) {
      var option = document.createElement("option");
      option.value = d.name;
      option.textContent = d.articles + " 篇";
      return option;
    }));
  }

  function ask() {
    var text = field.value.trim();
    if (!text || text === asked) return;
    asked = text;
    fetch(field.dataset.suggest + "?q=" + encodeURIComponent(text), {headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && data.query === field.value.trim()) show(data.districts); })
      .catch(function () {});
  }

  field.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
})();
