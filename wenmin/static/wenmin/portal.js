// Resident portal: "use my location" fills the hidden latitude/longitude. Progressive
// enhancement: the button stays hidden without JavaScript or geolocation (which needs HTTPS);
// "remove location" shows only once a location is attached (the server renders it visible when
// a form comes back with coordinates).
(function () {
  "use strict";
  var button = document.querySelector("[data-locate]");
  var clear = document.querySelector("[data-locate-clear]");
  var form = (button || clear || {}).form;
  if (!form) return;
  var latitude = form.querySelector("input[name=latitude]");
  var longitude = form.querySelector("input[name=longitude]");
  var status = form.querySelector("[data-locate-status]");
  if (clear) {
    clear.hidden = !latitude.value;
    clear.addEventListener("click", function () {
      latitude.value = "";
      longitude.value = "";
      status.textContent = "";
      clear.hidden = true;
      if (button && !button.hidden) button.focus();
    });
  }
  if (!button || !("geolocation" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        latitude.value = position.coords.latitude.toFixed(6);
        longitude.value = position.coords.longitude.toFixed(6);
        status.textContent = button.dataset.done;
        button.disabled = false;
        if (clear) clear.hidden = false;
      },
      function () {
        status.textContent = button.dataset.failed;
        button.disabled = false;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
