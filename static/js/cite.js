// The 引用 block's copy buttons: the citation's text to the clipboard, and say so.
(function () {
  function copied(button, ok) {
    var status = button.nextElementSibling;
    if (status) status.textContent = ok ? "已复制" : "复制失败，请手动选取";
  }
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    var text = source.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { copied(button, true); },
        function () { copied(button, fallback(text)); });
    } else {
      copied(button, fallback(text));
    }
  });
})();
