//! The table itself: [`Lang`] and the fixed texts [`T`], English and French on one line each
//! (the module doc of `strings` says how to add one). No units.

/// The operator's language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// "en", "fr" (the `?lang=` values and the page's `lang` attribute).
    pub fn key(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language a `?lang=` value names (trimmed, any case); anything else is English.
    pub fn from_query(value: Option<&str>) -> Lang {
        Lang::parse(value).unwrap_or_default()
    }

    /// The language a value names ("en", "fr"; trimmed, any case), `None` for anything else.
    pub fn parse(value: Option<&str>) -> Option<Lang> {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            Some("fr") => Some(Lang::Fr),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    /// The language at start: an explicit `?lang=` wins, then the one this device remembers
    /// (`stored`), then English.
    pub fn choose(query: Option<&str>, stored: Option<&str>) -> Lang {
        Lang::parse(query)
            .or_else(|| Lang::parse(stored))
            .unwrap_or_default()
    }

    /// The other language (what the switch offers).
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Fr,
            Lang::Fr => Lang::En,
        }
    }
}

/// The fixed texts: `Key => "English", "French";`. Generates [`T`], `T::ALL`, `T::name`.
macro_rules! table {
    ($($key:ident => $en:literal, $fr:literal;)+) => {
        /// A fixed text of the UI ([`T::get`] gives it in a language).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum T {
            $($key,)+
        }

        impl T {
            /// Every key, in table order.
            pub const ALL: &'static [T] = &[$(T::$key,)+];

            /// The key's name as written in the table (for tests).
            pub fn name(self) -> &'static str {
                match self {
                    $(T::$key => stringify!($key),)+
                }
            }

            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::En => match self {
                        $(T::$key => $en,)+
                    },
                    Lang::Fr => match self {
                        $(T::$key => $fr,)+
                    },
                }
            }
        }
    };
}

table! {
    // The app's frame (lib.rs).
    AppTitle => "Calais command centre", "Centre de commandement de Calais";
    AppSubtitle => "Channel region · live incidents", "Région Manche · incidents en direct";
    LoadingMap => "Loading map data…", "Chargement des données de la carte…";
    MapAria => "Map of the Channel region. Drag or use the arrow keys to pan, + and - to zoom.",
        "Carte de la région Manche. Faites glisser ou utilisez les flèches pour vous déplacer, + et - pour zoomer.";
    // Layer panel and legend (components.rs).
    Layers => "Layers", "Couches";
    RasterTiles => "Raster tiles", "Tuiles raster";
    Zones => "Zones", "Zones";
    Legend => "Legend", "Légende";
    LegendCamera => "Camera and field of view", "Caméra et champ de vision";
    LegendCluster => "Cameras, zoomed out (count)", "Caméras, vue éloignée (nombre)";
    LegendBorder => "Country border", "Frontière";
    Incidents => "Incidents", "Incidents";
    Severity => "Severity", "Gravité";
    SeverityScale => "Severity 1 (lowest) to 5 (highest)", "Gravité de 1 (la plus faible) à 5 (la plus forte)";
    LegendClosed => "Closed (hollow); older ones fade", "Clos (creux) ; les plus anciens s’estompent";
    LegendDensity => "Many incidents, zoomed out (density)", "Nombreux incidents, vue éloignée (densité)";
    // Info card, controls, status bar.
    FeatureDetails => "Feature details", "Détails de l’objet";
    Close => "Close", "Fermer";
    Land => "Land", "Terre";
    Zoom => "Zoom", "Zoom";
    ZoomIn => "Zoom in", "Zoom avant";
    ZoomInKey => "Zoom in (+)", "Zoom avant (+)";
    ZoomOut => "Zoom out", "Zoom arrière";
    ZoomOutKey => "Zoom out (-)", "Zoom arrière (-)";
    FitRegion => "Show the whole region", "Afficher toute la région";
    CursorPosition => "Cursor position, WGS84", "Position du curseur, WGS84";
    NoFrameYet => "no frame yet", "pas encore d’image";
    // Issue 14, coordinates (grids_ui.rs).
    CoordFormat => "Form of the WGS84 degrees", "Forme des degrés WGS84";
    CoordFormDd => "DD", "DD";
    CoordFormDms => "DMS", "DMS";
    CoordFormDdm => "DDM", "DMD";
    CoordFormDdTitle => "Decimal degrees", "Degrés décimaux";
    CoordFormDmsTitle => "Degrees, minutes, seconds", "Degrés, minutes, secondes";
    CoordFormDdmTitle => "Degrees and decimal minutes (as coastguards write)", "Degrés et minutes décimales (comme les garde-côtes)";
    CoordCopy => "Copy", "Copier";
    CoordCopyTitle => "Copy the position in WGS84, Lambert-93 and the British National Grid", "Copier la position en WGS84, Lambert-93 et quadrillage national britannique";
    CoordCopied => "Copied", "Copié";
    CoordTapHint => "Point at or tap the map", "Pointez ou touchez la carte";
    GotoLabel => "Go to a position", "Aller à une position";
    GotoPlaceholder => "Go to, e.g. 51.125, 1.3125 · TR 318 413", "Aller à, ex. 51.125, 1.3125 · TR 318 413";
    GotoSubmit => "Go", "Aller";
    GotoSubmitTitle => "Fly to the position typed (WGS84, Lambert-93 or British National Grid)", "Aller à la position saisie (WGS84, Lambert-93 ou quadrillage national britannique)";
    GotoMarkerRemove => "Remove the go-to marker", "Retirer le repère";
    // Feed strip (feed_strip.rs).
    RetryNow => "Retry now", "Réessayer";
    RetryNowTitle => "Reconnect to the live feed now", "Se reconnecter au flux en direct maintenant";
    OpenByKind => "Open incidents by kind", "Incidents en cours par type";
    StaleTag => "stale", "périmé";
    Dismiss => "Dismiss", "Fermer";
    // Issue 14, languages and time (lang_switch.rs, strings/locale.rs).
    LangSwitch => "Language", "Langue";
    LangEnglish => "English", "English";
    LangFrench => "Français", "Français";
    Clocks => "Time in London and Paris", "Heure à Londres et à Paris";
    DataKeyTitle => "Property name as the data writes it (no label for it)",
        "Nom de propriété tel que l’écrivent les données (sans libellé)";
    PropId => "Identifier", "Identifiant";
    PropName => "Name", "Nom";
    PropKind => "Kind", "Type";
    PropBearing => "Bearing", "Cap";
    PropFov => "Field of view", "Champ de vision";
    PropRange => "Range", "Portée";
    PropHeight => "Height", "Hauteur";
    PropModel => "Model", "Modèle";
    PropOperator => "Operator", "Exploitant";
    PropWatches => "Watches", "Surveille";
    PropSynthetic => "Synthetic (demo data)", "Synthétique (données de démonstration)";
    PropCountry => "Country", "Pays";
    PropCountryCode => "Country code (ISO 3166)", "Code de pays (ISO 3166)";
    PropCritical => "Critical", "Critique";
    PropDwell => "Dwell alert after", "Alerte de présence après";
    // A list row's severity, "S4" / "G4" (gravité).
    SeverityShort => "S", "G";
    // The zone log CSV's header row (geofence_ui.rs; English is the wire form,
    // `core::geofence::events::CSV_COLUMNS`; times are UTC, RFC 3339).
    ZoneLogCsvHeader => "seq,time,time_ms,kind,incident_id,zone_id,lon,lat,critical",
        "n°,heure_utc,heure_ms,type,id_incident,id_zone,lon,lat,critique";
    // Incident list and card (incident_ui.rs).
    HideIncidentList => "Hide the incident list", "Masquer la liste des incidents";
    ShowIncidentList => "Show the incident list", "Afficher la liste des incidents";
    NoIncidentsMatch => "No incidents match the filters.", "Aucun incident ne correspond aux filtres.";
    ClosedTag => "closed", "clos";
    ClockSkewTag => "⚠ clock skew", "⚠ décalage d’horloge";
    ClockSkewTitle => "This time is ahead of this device's clock: the source's clock or this device's is wrong",
        "Cette heure est en avance sur l’horloge de cet appareil : l’horloge de la source ou celle de cet appareil est fausse";
    IncidentFilters => "Incident filters", "Filtres des incidents";
    SeverityAll => "All", "Toutes";
    Severity2Up => "2 and above", "2 et plus";
    Severity3Up => "3 and above", "3 et plus";
    Severity4Up => "4 and above", "4 et plus";
    Severity5Only => "5 only", "5 seulement";
    Status => "Status", "État";
    UpdatedFilter => "Updated", "Mis à jour";
    Order => "Order", "Ordre";
    IncidentDetails => "Incident details", "Détails de l’incident";
    RowUpdated => "Updated", "Mis à jour";
    RowReported => "Reported", "Signalé";
    RowPosition => "Position", "Position";
    RowAccuracy => "Accuracy", "Précision";
    RowSource => "Source", "Source";
    RowTrack => "Track", "Trajet";
    RowDescription => "Description", "Description";
    RowZones => "Zones", "Zones";
    RowSeenBy => "Seen by cameras", "Vu par les caméras";
    RowNearestFence => "Nearest fence", "Clôture la plus proche";
    RowNearestPort => "Nearest port", "Port le plus proche";
    NoneListed => "none", "aucune";
    // Issue 14, offline (offline_ui.rs; texts with values in strings/offline.rs).
    OfflineNotLive => "Not live: the last incidents kept on this device. The feed resumes by itself when the network returns.", "Pas en direct : les derniers incidents gardés sur cet appareil. Le flux reprend de lui-même au retour du réseau.";
    OfflineStore => "Offline store", "Stockage hors ligne";
    OfflineKept => "kept by the browser", "conservé par le navigateur";
    OfflineNotKept => "persistence refused: the browser may clear it", "persistance refusée : le navigateur peut l’effacer";
    OfflineStoreFull => "full: the last picture could not be kept (the app keeps working online)", "plein : la dernière image n’a pas pu être gardée (l’application fonctionne en ligne)";
    OfflineUnreadable => "the kept picture could not be read", "l’image gardée n’a pas pu être lue";
    OfflineUnavailable => "no offline use on this page (it needs HTTPS)", "pas d’usage hors ligne sur cette page (HTTPS requis)";
    // Zone panel, tools, diagnostics and alerts (geofence_ui.rs).
    LoadingZones => "Loading zones…", "Chargement des zones…";
    // A part of the app loaded on first use (split.rs), slower than a moment.
    LoadingPart => "Loading…", "Chargement…";
    ZoneEventLog => "Zone event log:", "Journal des événements de zone :";
    ReadOnlyTitle => "From the centre's zones file: read-only here", "Issue du fichier de zones du centre : lecture seule ici";
    Fixed => "fixed", "fixe";
    EditTitle => "Reshape, rename or change the rules", "Modifier le tracé, le nom ou les règles";
    Edit => "Edit", "Modifier";
    DeleteTitle => "Delete this zone", "Supprimer cette zone";
    Delete => "Delete", "Supprimer";
    Yes => "Yes", "Oui";
    No => "No", "Non";
    DrawZoneTitle => "Draw a new zone on the map", "Dessiner une nouvelle zone sur la carte";
    DrawZone => "✎ Draw zone", "✎ Dessiner une zone";
    ExportTitle => "Download the drawn zones as GeoJSON", "Télécharger les zones dessinées en GeoJSON";
    Export => "Export", "Exporter";
    ImportTitle => "Add zones from a GeoJSON file", "Ajouter des zones depuis un fichier GeoJSON";
    Import => "Import…", "Importer…";
    ZoneProblems => "Zone problems", "Problèmes de zones";
    ZoneAlerts => "Zone alerts", "Alertes de zone";
    Ack => "Ack", "Acquitter";
    Acked => "Acked", "Acquittée";
    AckAll => "Ack all", "Tout acquitter";
    NoEventLog => "the zones are not loaded: there is no event log yet",
        "les zones ne sont pas chargées : il n’y a pas encore de journal d’événements";
    NotText => "the file is not text", "le fichier n’est pas du texte";
    // Issue 14, tablet layout (sheets.rs, tap_chooser.rs).
    Panels => "Panels", "Panneaux";
    SheetHandle => "Drag or tap to resize the panel", "Faites glisser ou touchez pour redimensionner le panneau";
    SheetExpand => "Full height", "Pleine hauteur";
    SheetShrink => "Half height", "Mi-hauteur";
    SheetHide => "Hide", "Masquer";
    ChooserZone => "Zone", "Zone";
    ChooserIncident => "Incident", "Incident";
    // Issue 15, accessibility (skip_links.rs, roving.rs, lang_switch.rs).
    SkipLinks => "Skip to", "Aller à";
    SkipToMap => "Skip to the map", "Aller à la carte";
    SkipToAlerts => "Skip to the zone alerts", "Aller aux alertes des zones";
    SkipToIncidents => "Skip to the incident list", "Aller à la liste des incidents";
    SkipToZones => "Skip to the zones", "Aller aux zones";
    // Issue 14, follow-ups.
    UpdateReady => "A new version of the map is ready.", "Une nouvelle version de la carte est prête.";
    UpdateReload => "Reload", "Recharger";
    UpdateReloadHelp => "Reload the page to use the new version", "Recharger la page pour utiliser la nouvelle version";
    // Zone editor (zone_editor_ui.rs).
    ZoneEditor => "Zone editor", "Éditeur de zone";
    DrawingZone => "Drawing a zone", "Dessin d’une zone";
    NewZone => "New zone", "Nouvelle zone";
    EditZone => "Edit zone", "Modifier la zone";
    HintDrawing => "Click or tap the map to add points; click the first point or Finish to close. Drag to pan. Backspace: undo point · Esc: cancel.",
        "Cliquez ou touchez la carte pour ajouter des points ; cliquez sur le premier point ou sur Terminer pour fermer. Faites glisser pour vous déplacer. Retour arrière : annuler le point · Échap : annuler.";
    HintFixed => "This zone has several parts or holes: its outline stays as it is.",
        "Cette zone a plusieurs parties ou des trous : son tracé reste tel quel.";
    HintShaping => "Drag a point to move it, or the small circle on an edge to add one.",
        "Faites glisser un point pour le déplacer, ou le petit cercle d’un côté pour en ajouter un.";
    UndoPoint => "Undo point", "Annuler le point";
    Finish => "Finish", "Terminer";
    Cancel => "Cancel", "Annuler";
    Name => "Name", "Nom";
    NamePlaceholder => "e.g. Sangatte beach, north", "p. ex. plage de Sangatte, nord";
    Kind => "Kind", "Type";
    DwellAfter => "Dwell alert after (s)", "Alerte de présence après (s)";
    DwellPlaceholder => "none", "aucune";
    AlertOn => "Alert on", "Alerter à";
    AlertEnter => "enter", "l’entrée";
    AlertExit => "exit", "la sortie";
    CriticalTitle => "Alerts of critical zones flash on the video wall", "Les alertes des zones critiques clignotent sur le mur d’images";
    CriticalFlash => "critical (flash)", "critique (clignote)";
    Save => "Save", "Enregistrer";
    AddPoints => "Add points", "Ajouter des points";
    // Issue 14, exports (export_ui.rs; texts with values in strings/export.rs).
    ExportOpen => "Export the map and its data (E)", "Exporter la carte et ses données (E)";
    ExportDialog => "Export", "Exporter";
    ExportNote => "Operator's note (printed on the picture, kept in its record)", "Note de l’opérateur (imprimée sur l’image, conservée dans son relevé)";
    ExportPng => "Picture (PNG) and its record", "Image (PNG) et son relevé";
    ExportPngHelp => "This screen's map as shown, with times, layers, filters, feed, legend, scale and note; beside it a JSON record (also inside the PNG) and the incidents it shows as GeoJSON", "La carte de cet écran telle qu’affichée, avec heures, couches, filtres, flux, légende, échelle et note ; à côté un relevé JSON (aussi dans le PNG) et les incidents affichés en GeoJSON";
    ExportFiltered => "Filtered incidents", "Incidents filtrés";
    ExportWorking => "Making the picture…", "Création de l’image…";
    ExportBandTitle => "Calais joint command centre · map record", "Centre de commandement conjoint de Calais · relevé cartographique";
    ExportTime => "Time", "Heure";
    ExportFilters => "Filters", "Filtres";
    ExportData => "Data", "Données";
    ExportScreen => "Screen", "Écran";
    ExportNoteLine => "Note", "Note";
    ExportNorth => "N", "N";
    CsvId => "id", "identifiant";
    CsvKind => "kind", "type";
    CsvSeverity => "severity", "gravité";
    CsvStatus => "status", "statut";
    CsvReportedAt => "reported at (UTC)", "signalé le (UTC)";
    CsvUpdatedAt => "updated at (UTC)", "mis à jour le (UTC)";
    CsvLon => "longitude (WGS84)", "longitude (WGS84)";
    CsvLat => "latitude (WGS84)", "latitude (WGS84)";
    CsvAccuracy => "accuracy (m)", "précision (m)";
    CsvSource => "source", "source";
    CsvDescription => "description", "description";
    CsvName => "name", "nom";
    CsvOrigin => "origin", "origine";
    CsvInside => "open incidents inside", "incidents ouverts dedans";
    CsvAlertEnter => "alert on enter", "alerte à l’entrée";
    CsvAlertExit => "alert on exit", "alerte à la sortie";
    CsvDwell => "dwell (s)", "séjour (s)";
    CsvCritical => "critical", "critique";
    CsvWkt => "shape (WKT, WGS84)", "forme (WKT, WGS84)";
    // Heatmap (heatmap_ui.rs; texts with values in strings/heatmap.rs).
    Heatmap => "Heatmap", "Carte de densité";
    HeatmapTitle => "Density of incident reports in true ground units: the same place has the same value at every zoom",
        "Densité des signalements d’incidents en unités réelles au sol : un même lieu a la même valeur à tout zoom";
    HeatBandwidth => "Bandwidth σ (m)", "Largeur du noyau σ (m)";
    HeatWindow => "Window", "Période";
    HeatScale => "Scale", "Échelle";
    HeatScaleFixed => "fixed (absolute)", "fixe (absolue)";
    HeatScaleRelative => "relative to the view", "relative à la vue";
    HeatWeighting => "Weight by severity", "Pondérer par la gravité";
    HeatUnits => "reports per km²", "signalements par km²";
    HistoryDiagnosticsLabel => "Incident history", "Historique des incidents";
    HeatUnitsPerDay => "reports per km² per day, B − A", "signalements par km² par jour, B − A";
    HeatWindowCustom => "Custom window", "Période personnalisée";
    HeatFrom => "From", "Du";
    HeatTo => "To", "Au";
    // Issue 14, field (locate_ui.rs).
    LocateMe => "Where am I", "Où suis-je";
    LocateMeTip => "Show my position and what is near it (asks this device for its location)", "Afficher ma position et ce qui est proche (demande sa localisation à cet appareil)";
    LocateClose => "Close and hide my position", "Fermer et masquer ma position";
    LocateRadius => "Within", "Dans un rayon de";
    LocateAsking => "Finding your position…", "Recherche de votre position…";
    LocateDenied => "Location permission refused. To use Where am I, allow location for this site in the browser’s site settings (the icon beside the address), then tap the button again.", "Autorisation de localisation refusée. Pour utiliser Où suis-je, autorisez la localisation pour ce site dans les réglages du navigateur (l’icône à côté de l’adresse), puis touchez de nouveau le bouton.";
    LocateUnavailable => "This device cannot find its position now (no satellite or network fix). Move into the open or turn on location services, then tap the button again.", "Cet appareil ne trouve pas sa position pour l’instant (ni satellites ni réseau). Placez-vous à découvert ou activez la localisation, puis touchez de nouveau le bouton.";
    LocateTimeout => "No position within 15 seconds. Tap the button again to retry.", "Aucune position en 15 secondes. Touchez de nouveau le bouton pour réessayer.";
    LocateUnsupported => "This browser gives no location to this page (it needs HTTPS and the Geolocation API).", "Ce navigateur ne donne pas de localisation à cette page (il faut HTTPS et l’API de géolocalisation).";
    LocateInvalid => "The device answered with a position that is not valid. Tap the button again.", "L’appareil a donné une position invalide. Touchez de nouveau le bouton.";
    LocateOutside => "You are outside the map’s region (the Channel from Normandy to the Netherlands, and south-east England): nothing on this map is near you.", "Vous êtes hors de la région de la carte (la Manche de la Normandie aux Pays-Bas, et le sud-est de l’Angleterre) : rien sur cette carte n’est près de vous.";
    LocateCamera => "Camera", "Caméra";
    LocateZoneInside => "you are inside", "vous êtes à l’intérieur";
    // Playback (playback_ui.rs; texts with values in strings/compare.rs).
    Playback => "History playback", "Relecture de l’historique";
    Play => "Play", "Lecture";
    Pause => "Pause", "Pause";
    StepBack => "Step back", "Pas en arrière";
    StepForward => "Step forward", "Pas en avant";
    PlaybackSpeed => "Speed", "Vitesse";
    PlaybackSliding => "sliding window", "période glissante";
    PlaybackCumulative => "cumulative", "cumulée";
    PlaybackLive => "Back to live", "Retour au direct";
    PlaybackTime => "Time shown", "Heure affichée";
    // Comparison (compare_ui.rs).
    CompareOpen => "Compare…", "Comparer…";
    CompareTitle => "Compare two windows", "Comparer deux périodes";
    CompareClose => "Close the comparison", "Fermer la comparaison";
    WindowA => "Window A (before)", "Période A (avant)";
    WindowB => "Window B (after)", "Période B (après)";
    Displacement => "Displacement", "Déplacement";
    PortsNear => "Reports per day near each port", "Signalements par jour près de chaque port";
    Port => "Port", "Port";
    Change => "Change", "Évolution";
    // Video wall (wall_ui.rs; texts with values in strings/wall.rs).
    WallStatus => "Wall status: time in London and Paris", "État du mur : heure à Londres et à Paris";
    WallProblems => "Wall settings ignored", "Réglages du mur ignorés";
    // The wall's watchdog screen (wall_reload.rs arms assets/watchdog.js with them; it fills in {s} and {n}).
    WallReloadCountdown => "Reloading in {s} s", "Rechargement dans {s} s";
    WallFatalStreak => "Fatal error {n} in a row", "Erreur fatale {n} d’affilée";
    WallWakeUnsupported => "Screen may sleep: this browser has no wake lock", "L’écran peut se mettre en veille : pas de verrou d’éveil dans ce navigateur";
    WallWakeRefused => "Screen may sleep: wake lock refused", "L’écran peut se mettre en veille : verrou d’éveil refusé";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_query_wins_over_the_remembered_language() {
        assert_eq!(Lang::choose(Some("en"), Some("fr")), Lang::En);
        assert_eq!(Lang::choose(None, Some("fr")), Lang::Fr);
        assert_eq!(Lang::choose(Some("xx"), Some("fr")), Lang::Fr);
        assert_eq!(Lang::choose(None, Some("garbage")), Lang::En);
        assert_eq!(Lang::choose(None, None), Lang::En);
    }

    #[test]
    fn lang_from_the_query() {
        assert_eq!(Lang::from_query(None), Lang::En);
        assert_eq!(Lang::from_query(Some(" FR ")), Lang::Fr);
        assert_eq!(Lang::from_query(Some("en")), Lang::En);
        assert_eq!(Lang::from_query(Some("de")), Lang::En);
        assert_eq!(Lang::parse(Some("de")), None);
        assert_eq!(Lang::En.other(), Lang::Fr);
        assert_eq!(T::Layers.get(Lang::Fr), "Couches");
        assert_eq!(T::Layers.name(), "Layers");
    }
}
