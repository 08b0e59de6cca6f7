// The scan page: the phone's location (WGS-84) into the form, when the volunteer allows it.
(function () {
  "use strict";
  var form = document.querySelector("[data-scan-form]");
  var status = document.querySelector("[data-location-status]");
  if (!form || !status) { return; }
  function none() { status.textContent = status.dataset.msgNone; }
  if (!navigator.geolocation) { none(); return; }
  navigator.geolocation.getCurrentPosition(function (position) {
    form.elements.latitude.value = position.coords.latitude.toFixed(6);
    form.elements.longitude.value = position.coords.longitude.toFixed(6);
    status.textContent = status.dataset.msgFound;
  }, none, { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
})();
