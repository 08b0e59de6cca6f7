// Resident portal: "use my location" fills the hidden latitude/longitude. Progressive
// enhancement: the button stays hidden without JavaScript or geolocation (which needs HTTPS).
(function () {
  "use strict";
  var button = document.querySelector("[data-locate]");
  if (!button || !("geolocation" in navigator)) return;
  var form = button.form;
  var latitude = form.querySelector("input[name=latitude]");
  var longitude = form.querySelector("input[name=longitude]");
  var status = form.querySelector("[data-locate-status]");
  var clear = form.querySelector("[data-locate-clear]");
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
  if (clear) {
    clear.addEventListener("click", function () {
      latitude.value = "";
      longitude.value = "";
      status.textContent = "";
      clear.hidden = true;
    });
  }
})();
