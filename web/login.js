// Shows the login page's failure message when the server sent us back with ?failed=1.
'use strict';
if (new URLSearchParams(location.search).has('failed')) document.getElementById('failed').hidden = false;
