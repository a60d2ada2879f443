<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ApiTokenText</name>
    <message>
        <location filename="../engine/api/ApiToken.cpp" line="29"/>
        <source>Cannot create the data directory %1.</source>
        <translation>Das Datenverzeichnis %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../engine/api/ApiToken.cpp" line="33"/>
        <source>Cannot write the websocket token to %1: %2</source>
        <translation>Das Websocket-Token kann nicht nach %1 geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>Awx</name>
    <message>
        <location filename="../engine/services/AwxService.cpp" line="107"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../engine/services/AwxService.cpp" line="145"/>
        <source>Nothing is named &quot;%1&quot;.</source>
        <translation>Es gibt nichts namens &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../engine/awx/AwxFormat.cpp" line="81"/>
        <source>The variables of %1 are not valid YAML or JSON: %2</source>
        <translation>Die Variablen von %1 sind kein gültiges YAML oder JSON: %2</translation>
    </message>
    <message>
        <location filename="../engine/awx/AwxFormat.cpp" line="96"/>
        <source>inventory %1</source>
        <translation>Inventar %1</translation>
    </message>
    <message>
        <location filename="../engine/awx/AwxFormat.cpp" line="105"/>
        <source>host %1</source>
        <translation>Host %1</translation>
    </message>
    <message>
        <location filename="../engine/awx/AwxFormat.cpp" line="118"/>
        <source>group %1</source>
        <translation>Gruppe %1</translation>
    </message>
    <message>
        <location filename="../engine/awx/AwxFormat.cpp" line="153"/>
        <source>Credential &quot;%1&quot; is of type &quot;%2&quot;, which Playdeck does not have: not imported.</source>
        <translation>Zugangsdaten &quot;%1&quot; haben den Typ &quot;%2&quot;, den Playdeck nicht kennt: nicht importiert.</translation>
    </message>
    <message>
        <location filename="../engine/awx/AwxFormat.cpp" line="172"/>
        <source>Credential &quot;%1&quot; comes without its secrets (%2), as every AWX export: set them with playdeck credential update &quot;%1&quot; --%3_file FILE, or in its editor.</source>
        <translation>Zugangsdaten &quot;%1&quot; kommen ohne ihre Geheimnisse (%2), wie bei jedem AWX-Export: Diese mit playdeck credential update &quot;%1&quot; --%3_file FILE oder im Editor der Zugangsdaten setzen.</translation>
    </message>
    <message>
        <location filename="../engine/awx/AwxFormat.cpp" line="190"/>
        <source>Project &quot;%1&quot; uses %2, which Playdeck does not have (only git and local directories): not imported.</source>
        <translation>Projekt &quot;%1&quot; verwendet %2, was Playdeck nicht kennt (nur git und lokale Verzeichnisse): nicht importiert.</translation>
    </message>
    <message>
        <location filename="../engine/awx/AwxFormat.cpp" line="210"/>
        <source>Inventory &quot;%1&quot; is a %2 inventory, which Playdeck does not have: not imported.</source>
        <translation>Inventar &quot;%1&quot; ist ein Inventar vom Typ %2, den Playdeck nicht kennt: nicht importiert.</translation>
    </message>
    <message>
        <location filename="../engine/awx/AwxFormat.cpp" line="227"/>
        <source>Inventory source &quot;%1&quot; reads from %2, which Playdeck does not have: not imported.</source>
        <translation>Inventarquelle &quot;%1&quot; liest aus %2, was Playdeck nicht kennt: nicht importiert.</translation>
    </message>
</context>
<context>
    <name>CredentialRun</name>
    <message>
        <location filename="../engine/secrets/CredentialRun.cpp" line="46"/>
        <source>The %1 of credential &quot;%2&quot; was not given.</source>
        <translation>Der Wert %1 der Zugangsdaten &quot;%2&quot; wurde nicht angegeben.</translation>
    </message>
</context>
<context>
    <name>FileArtifactSink</name>
    <message>
        <location filename="../engine/runner/ArtifactSink.cpp" line="15"/>
        <source>The runner sent a second artifacts block.</source>
        <translation>Der Runner hat einen zweiten Artefaktblock gesendet.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ArtifactSink.cpp" line="17"/>
        <source>The runner announced a negative artifacts size.</source>
        <translation>Der Runner hat eine negative Artefaktgröße angekündigt.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ArtifactSink.cpp" line="24"/>
        <source>Cannot create %1 for the job&apos;s artifacts: %2</source>
        <translation>%1 kann für die Artefakte des Jobs nicht angelegt werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/ArtifactSink.cpp" line="31"/>
        <location filename="../engine/runner/ArtifactSink.cpp" line="44"/>
        <source>The job&apos;s artifacts file %1 is not open.</source>
        <translation>Die Artefaktdatei %1 des Jobs ist nicht geöffnet.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ArtifactSink.cpp" line="34"/>
        <source>The runner sent more artifacts than the %1 bytes it announced.</source>
        <translation>Der Runner hat mehr Artefakte gesendet als die angekündigten %1 Bytes.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ArtifactSink.cpp" line="37"/>
        <location filename="../engine/runner/ArtifactSink.cpp" line="53"/>
        <source>Cannot write the job&apos;s artifacts to %1: %2</source>
        <translation>Die Artefakte des Jobs können nicht nach %1 geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/ArtifactSink.cpp" line="48"/>
        <source>The runner sent %1 bytes of artifacts but announced %2.</source>
        <translation>Der Runner hat %1 Bytes Artefakte gesendet, aber %2 angekündigt.</translation>
    </message>
</context>
<context>
    <name>Inventory</name>
    <message>
        <location filename="../engine/inventory/InventoryContent.cpp" line="25"/>
        <source>The group %1 has &quot;%2&quot; that is not a list.</source>
        <translation>Die Gruppe %1 hat einen Eintrag &quot;%2&quot;, der keine Liste ist.</translation>
    </message>
    <message>
        <location filename="../engine/inventory/InventoryContent.cpp" line="30"/>
        <source>The group %1 lists %2 that are not names.</source>
        <translation>Die Gruppe %1 führt unter %2 Einträge, die keine Namen sind.</translation>
    </message>
    <message>
        <location filename="../engine/inventory/InventoryContent.cpp" line="61"/>
        <source>ansible-inventory did not print an inventory (%1 at byte %2).</source>
        <translation>ansible-inventory hat kein Inventar ausgegeben (%1 bei Byte %2).</translation>
    </message>
    <message>
        <location filename="../engine/inventory/InventoryContent.cpp" line="71"/>
        <source>The variables of host %1 are not a mapping.</source>
        <translation>Die Variablen von Host %1 sind keine Zuordnung.</translation>
    </message>
    <message>
        <location filename="../engine/inventory/InventoryContent.cpp" line="79"/>
        <source>The group %1 is not a mapping.</source>
        <translation>Die Gruppe %1 ist keine Zuordnung.</translation>
    </message>
    <message>
        <location filename="../engine/inventory/InventoryContent.cpp" line="89"/>
        <source>The variables of group %1 are not a mapping.</source>
        <translation>Die Variablen der Gruppe %1 sind keine Zuordnung.</translation>
    </message>
    <message>
        <location filename="../engine/inventory/InventoryContent.cpp" line="109"/>
        <source>The group %1 is listed as a child but not described.</source>
        <translation>Die Gruppe %1 ist als Untergruppe aufgeführt, aber nicht beschrieben.</translation>
    </message>
    <message>
        <location filename="../engine/inventory/InventoryContent.cpp" line="114"/>
        <source>The group %1 is its own ancestor.</source>
        <translation>Die Gruppe %1 ist ihr eigener Vorfahr.</translation>
    </message>
    <message>
        <location filename="../engine/inventory/InventoryContent.cpp" line="144"/>
        <source>The group &quot;%1&quot; has a child group &quot;%2&quot; that does not exist.</source>
        <translation>Die Gruppe &quot;%1&quot; hat eine Untergruppe &quot;%2&quot;, die es nicht gibt.</translation>
    </message>
    <message>
        <location filename="../engine/inventory/InventoryContent.cpp" line="155"/>
        <source>The groups form a loop: %1.</source>
        <translation>Die Gruppen bilden eine Schleife: %1.</translation>
    </message>
</context>
<context>
    <name>JobDetailsPanel</name>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="30"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="31"/>
        <source>Verbose</source>
        <translation>Ausführlich</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="32"/>
        <source>More Verbose</source>
        <translation>Ausführlicher</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="33"/>
        <source>Debug</source>
        <translation>Debug</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="34"/>
        <source>Connection Debug</source>
        <translation>Verbindungs-Debug</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="35"/>
        <source>WinRM Debug</source>
        <translation>WinRM-Debug</translation>
    </message>
</context>
<context>
    <name>JobPresentation</name>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="95"/>
        <source>By hand</source>
        <translation>Manuell</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="97"/>
        <source>Relaunch</source>
        <translation>Erneuter Start</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="99"/>
        <source>On schedule</source>
        <translation>Nach Zeitplan</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="101"/>
        <source>As a dependency</source>
        <translation>Als Abhängigkeit</translation>
    </message>
</context>
<context>
    <name>JobStatus</name>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="17"/>
        <source>new</source>
        <translation>neu</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="19"/>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="21"/>
        <source>waiting</source>
        <translation>wartend</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="23"/>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="25"/>
        <source>successful</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="27"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="29"/>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="31"/>
        <source>canceled</source>
        <translation>abgebrochen</translation>
    </message>
</context>
<context>
    <name>Launch</name>
    <message>
        <location filename="../engine/launch/LaunchRules.cpp" line="59"/>
        <source>The template &quot;%1&quot; does not let a launch change that: it would need %2. Change the template, or launch without it.</source>
        <translation>Die Vorlage &quot;%1&quot; erlaubt diese Änderung beim Start nicht: Dafür wäre %2 nötig. Die Vorlage ändern oder ohne diese Angabe starten.</translation>
    </message>
    <message>
        <location filename="../engine/launch/LaunchRules.cpp" line="93"/>
        <source>The survey&apos;s answers are not right:
%1</source>
        <translation>Die Antworten auf die Umfrage stimmen nicht:
%1</translation>
    </message>
</context>
<context>
    <name>PlaybookPrompts</name>
    <message>
        <location filename="../engine/launch/PlaybookPrompts.cpp" line="26"/>
        <source>%1 cannot be read: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/launch/PlaybookPrompts.cpp" line="32"/>
        <source>%1 is not YAML that Playdeck reads: %2</source>
        <translation>%1 ist kein YAML, das Playdeck lesen kann: %2</translation>
    </message>
    <message>
        <location filename="../engine/launch/PlaybookPrompts.cpp" line="56"/>
        <source>Asked by the playbook (vars_prompt).</source>
        <translation>Vom Playbook abgefragt (vars_prompt).</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../engine/db/Connections.cpp" line="31"/>
        <source>The Qt PostgreSQL driver (QPSQL) is not installed; install the Debian package libqt6sql6-psql.</source>
        <translation>Der Qt-PostgreSQL-Treiber (QPSQL) ist nicht installiert; bitte das Debian-Paket libqt6sql6-psql installieren.</translation>
    </message>
    <message>
        <location filename="../engine/db/Connections.cpp" line="44"/>
        <location filename="../engine/db/Connections.cpp" line="53"/>
        <source>Cannot connect to PostgreSQL at %1: %2</source>
        <translation>Keine Verbindung zu PostgreSQL unter %1 möglich: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/DatabaseConfig.cpp" line="14"/>
        <source>&apos;%1&apos; is not a PostgreSQL URL; expected postgresql://user:password@host:port/database</source>
        <translation>&apos;%1&apos; ist keine PostgreSQL-URL; erwartet wird postgresql://user:password@host:port/database</translation>
    </message>
    <message>
        <location filename="../engine/db/Migrations.cpp" line="59"/>
        <source>The database schema is at version %1, but this Playdeck knows only up to version %2. Use a newer Playdeck with this database.</source>
        <translation>Das Datenbankschema hat Version %1, dieses Playdeck kennt aber nur Versionen bis %2. Für diese Datenbank wird ein neueres Playdeck benötigt.</translation>
    </message>
    <message>
        <location filename="../engine/db/Migrations.cpp" line="79"/>
        <source>Migration %1 failed: %2</source>
        <translation>Migration %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location filename="../engine/model/DemoContent.cpp" line="15"/>
        <source>Cannot create the demo project directory %1.</source>
        <translation>Das Demo-Projektverzeichnis %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../engine/model/DemoContent.cpp" line="22"/>
        <source>Cannot write %1.</source>
        <translation>%1 kann nicht geschrieben werden.</translation>
    </message>
    <message>
        <location filename="../engine/launch/ExtraVars.cpp" line="358"/>
        <source>Extra variables are longer than %1 bytes (%2 MiB), more than is accepted.</source>
        <translation>Die zusätzlichen Variablen sind länger als %1 Bytes (%2 MiB); mehr wird nicht angenommen.</translation>
    </message>
    <message>
        <location filename="../engine/launch/ExtraVars.cpp" line="380"/>
        <source>Extra variables must be a mapping of names to values, like {&quot;name&quot;: &quot;value&quot;} or name: value.</source>
        <translation>Zusätzliche Variablen müssen eine Zuordnung von Namen zu Werten sein, etwa {&quot;name&quot;: &quot;value&quot;} oder name: value.</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="48"/>
        <source>line %1, column %2</source>
        <translation>Zeile %1, Spalte %2</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="68"/>
        <source>Extra variables are nested more than %1 levels deep at %2.</source>
        <translation>Die zusätzlichen Variablen sind in %2 tiefer als %1 Ebenen verschachtelt.</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="74"/>
        <source>Extra variables cannot be stored: the integer %1 at %2 (%3) is outside the 64-bit range.</source>
        <translation>Die zusätzlichen Variablen können nicht gespeichert werden: Die Ganzzahl %1 in %2 (%3) liegt außerhalb des 64-Bit-Bereichs.</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="80"/>
        <source>Extra variables cannot be stored: %1 at %2 (%3) is infinite or not a number, which JSON cannot hold.</source>
        <translation>Die zusätzlichen Variablen können nicht gespeichert werden: %1 in %2 (%3) ist unendlich oder keine Zahl, was JSON nicht darstellen kann.</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="89"/>
        <source>Extra variables cannot be read: %1</source>
        <translation>Die zusätzlichen Variablen können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="207"/>
        <location filename="../engine/launch/YamlReader.cpp" line="43"/>
        <source>a single value</source>
        <translation>ein einzelner Wert</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="209"/>
        <location filename="../engine/launch/YamlReader.cpp" line="45"/>
        <source>a list</source>
        <translation>eine Liste</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="211"/>
        <location filename="../engine/launch/YamlReader.cpp" line="47"/>
        <source>a mapping</source>
        <translation>eine Zuordnung</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="243"/>
        <source>a top-level key</source>
        <translation>einem Schlüssel der obersten Ebene</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="243"/>
        <source>a key of %1</source>
        <translation>einem Schlüssel von %1</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="252"/>
        <source>the top level</source>
        <translation>der obersten Ebene</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="259"/>
        <source>there are more than %1 keys and values (%2).</source>
        <translation>Es gibt mehr als %1 Schlüssel und Werte (%2).</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="268"/>
        <source>the anchor &amp;%1 is defined twice, at %2 and at %3.</source>
        <translation>Der Anker &amp;%1 ist doppelt definiert, in %2 und in %3.</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="280"/>
        <location filename="../engine/launch/TreeBuilder.cpp" line="298"/>
        <source>a key must be a single value, not %1 (%2).</source>
        <translation>Ein Schlüssel muss ein einzelner Wert sein, nicht %1 (%2).</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="351"/>
        <source>the merge key &lt;&lt; at %1 needs a mapping or a list of mappings, not %2 (%3).</source>
        <translation>Der Merge-Schlüssel &lt;&lt; in %1 braucht eine Zuordnung oder eine Liste von Zuordnungen, gefunden wurde aber %2 (%3).</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="354"/>
        <source>a list of other values</source>
        <translation>eine Liste anderer Werte</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="367"/>
        <source>the plain value %1 at %2 (%3) has a meaning in YAML 1.1 only as a key; quote it (&quot;%1&quot;) to mean the text.</source>
        <translation>Der Wert %1 ohne Anführungszeichen in %2 (%3) hat in YAML 1.1 nur als Schlüssel eine Bedeutung; in Anführungszeichen (&quot;%1&quot;) steht er für den Text.</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="380"/>
        <source>the merge key &lt;&lt; needs mappings in its list, not %1 (%2).</source>
        <translation>Der Merge-Schlüssel &lt;&lt; braucht in seiner Liste Zuordnungen, gefunden wurde aber %1 (%2).</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="417"/>
        <source>a list or mapping ends that never began.</source>
        <translation>Eine Liste oder Zuordnung endet, die nie begonnen hat.</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="473"/>
        <source>the alias *%1 has no anchor &amp;%1 before it (%2).</source>
        <translation>Vor dem Alias *%1 steht kein Anker &amp;%1 (%2).</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="476"/>
        <source>the alias *%1 refers to the node that contains it (%2).</source>
        <translation>Der Alias *%1 verweist auf den Knoten, der ihn enthält (%2).</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="484"/>
        <source>aliases expand to more than %1 values (an alias bomb?) at %2.</source>
        <translation>Aliasse expandieren in %2 zu mehr als %1 Werten (eine Alias-Bombe?).</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="489"/>
        <source>aliases expand to more than %1 bytes of text (an alias bomb?) at %2.</source>
        <translation>Aliasse expandieren in %2 zu mehr als %1 Bytes Text (eine Alias-Bombe?).</translation>
    </message>
    <message>
        <location filename="../engine/store/TemplateStore.cpp" line="88"/>
        <source>There is no job template with id %1.</source>
        <translation>Es gibt keine Job-Vorlage (job template) mit der ID %1.</translation>
    </message>
    <message>
        <location filename="../engine/store/TemplateStore.cpp" line="89"/>
        <source>There is no job template named &quot;%1&quot;.</source>
        <translation>Es gibt keine Job-Vorlage (job template) namens &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="36"/>
        <source>Forks must be between 0 and 200.</source>
        <translation>Die Anzahl der Forks muss zwischen 0 und 200 liegen.</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="38"/>
        <source>Verbosity must be between 0 and 5.</source>
        <translation>Die Ausführlichkeit muss zwischen 0 und 5 liegen.</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="41"/>
        <source>The job type must be run or check.</source>
        <translation>Der Job-Typ muss run oder check sein.</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="49"/>
        <source>The template&apos;s own extra variables are invalid: %1</source>
        <translation>Die eigenen zusätzlichen Variablen der Vorlage sind ungültig: %1</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="109"/>
        <source>There is no inventory named &quot;%1&quot;.</source>
        <translation>Es gibt kein Inventar namens &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="119"/>
        <source>There is no credential named &quot;%1&quot;.</source>
        <translation>Es gibt keine Zugangsdaten namens &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="144"/>
        <source>%1 of credential &quot;%2&quot;</source>
        <translation>%1 der Zugangsdaten &quot;%2&quot;</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="146"/>
        <source>This launch needs %1 (asked at each launch).</source>
        <translation>Dieser Start braucht %1 (wird bei jedem Start abgefragt).</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="241"/>
        <source>The inventory &quot;%1&quot; has no source named &quot;%2&quot;.</source>
        <translation>Das Inventar &quot;%1&quot; hat keine Quelle namens &quot;%2&quot;.</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="258"/>
        <source>There is no project named &quot;%1&quot;.</source>
        <translation>Es gibt kein Projekt namens &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="270"/>
        <source>A project update can only be run again as it is.</source>
        <translation>Eine Projektaktualisierung kann nur unverändert erneut gestartet werden.</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="275"/>
        <source>An inventory update can only be run again as it is.</source>
        <translation>Eine Inventaraktualisierung kann nur unverändert erneut gestartet werden.</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="293"/>
        <source>Job %1 cannot be relaunched: its template was deleted.</source>
        <translation>Job %1 kann nicht erneut gestartet werden: Seine Vorlage wurde gelöscht.</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="309"/>
        <source>Job %1 has no host recap, so no host is known to have failed.</source>
        <translation>Job %1 hat keine Host-Zusammenfassung, daher ist kein fehlgeschlagener Host bekannt.</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="311"/>
        <source>No host failed or was unreachable in job %1.</source>
        <translation>In Job %1 gab es keine fehlgeschlagenen oder unerreichbaren Hosts.</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="390"/>
        <source>The regular expression is not valid: %1</source>
        <translation>Der reguläre Ausdruck ist ungültig: %1</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="407"/>
        <location filename="../engine/services/JobService.cpp" line="422"/>
        <source>%1 could not be written: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/store/UnifiedJobStore.cpp" line="163"/>
        <location filename="../engine/store/UnifiedJobStore.cpp" line="336"/>
        <location filename="../engine/store/UnifiedJobStore.cpp" line="441"/>
        <source>There is no job %1.</source>
        <translation>Es gibt keinen Job %1.</translation>
    </message>
    <message>
        <location filename="../engine/store/UnifiedJobStore.cpp" line="167"/>
        <source>Only a template&apos;s job can be replayed exactly; relaunch job %1 instead.</source>
        <translation>Nur der Job einer Vorlage kann exakt wiederholt werden; stattdessen Job %1 erneut starten.</translation>
    </message>
    <message>
        <location filename="../engine/store/UnifiedJobStore.cpp" line="171"/>
        <source>Job %1 cannot be replayed exactly: it never started, so there is no record of the inventory it ran against. Relaunch it instead.</source>
        <translation>Job %1 kann nicht exakt wiederholt werden: Er wurde nie gestartet, daher ist nicht festgehalten, auf welchem Inventar er lief. Stattdessen erneut starten.</translation>
    </message>
    <message>
        <location filename="../engine/store/UnifiedJobStore.cpp" line="339"/>
        <source>Job %1 has already finished (%2).</source>
        <translation>Job %1 ist bereits beendet (%2).</translation>
    </message>
    <message>
        <location filename="../engine/store/UnifiedJobStore.cpp" line="545"/>
        <source>its Playdeck instance %1 stopped before it had stored them</source>
        <translation>seine Playdeck-Instanz %1 wurde beendet, bevor sie sie gespeichert hatte</translation>
    </message>
    <message>
        <location filename="../engine/dispatch/InstanceRegistry.cpp" line="102"/>
        <location filename="../engine/runner/RunJob.cpp" line="50"/>
        <location filename="../engine/store/UnifiedJobStore.cpp" line="344"/>
        <source>Canceled before it started.</source>
        <translation>Vor dem Start abgebrochen.</translation>
    </message>
    <message>
        <location filename="../engine/db/SocketDir.cpp" line="26"/>
        <source>XDG_RUNTIME_DIR (%1) is not a private directory of this user (it must be owned by you with mode 0700). Fix it, or unset XDG_RUNTIME_DIR.</source>
        <translation>XDG_RUNTIME_DIR (%1) ist kein privates Verzeichnis dieses Benutzers (es muss ihm gehören und den Modus 0700 haben). Das Verzeichnis korrigieren oder XDG_RUNTIME_DIR entfernen.</translation>
    </message>
    <message>
        <location filename="../engine/db/SocketDir.cpp" line="41"/>
        <source>Cannot create a private directory for the database socket in %1: %2. Set XDG_RUNTIME_DIR to a private directory.</source>
        <translation>In %1 kann kein privates Verzeichnis für den Datenbank-Socket angelegt werden: %2. XDG_RUNTIME_DIR auf ein privates Verzeichnis setzen.</translation>
    </message>
    <message>
        <location filename="../engine/db/SocketDir.cpp" line="46"/>
        <location filename="../engine/runner/PlanFiles.cpp" line="18"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="28"/>
        <source>The project directory %1 does not exist.</source>
        <translation>Das Projektverzeichnis %1 existiert nicht.</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="46"/>
        <source>Cannot copy %1 into the job&apos;s directory.</source>
        <translation>%1 kann nicht in das Verzeichnis des Jobs kopiert werden.</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="81"/>
        <source>The project&apos;s credential (id %1) no longer exists.</source>
        <translation>Die Zugangsdaten des Projekts (ID %1) existieren nicht mehr.</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="101"/>
        <source>The job&apos;s credential (id %1) no longer exists.</source>
        <translation>Die Zugangsdaten des Jobs (ID %1) existieren nicht mehr.</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="124"/>
        <source>The replay has no inventory snapshot of job %1.</source>
        <translation>Für die exakte Wiederholung fehlt der Inventar-Snapshot von Job %1.</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="156"/>
        <source>The keychain no longer has the %1 of credential &quot;%2&quot;. Set it again: playdeck credential update &quot;%2&quot; --%1_file FILE (or in its editor).</source>
        <translation>Der Schlüsselbund enthält %1 der Zugangsdaten &quot;%2&quot; nicht mehr. Neu setzen mit: playdeck credential update &quot;%2&quot; --%1_file FILE (oder im Editor der Zugangsdaten).</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="164"/>
        <source>The passwords given at launch are not in this machine&apos;s keychain: the job was launched where this instance&apos;s keychain cannot see them. Launch it again here.</source>
        <translation>Die beim Start angegebenen Passwörter liegen nicht im Schlüsselbund dieses Rechners: Der Job wurde dort gestartet, wo der Schlüsselbund dieser Instanz sie nicht sehen kann. Den Job hier erneut starten.</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="219"/>
        <source>The template&apos;s extra variables are invalid: %1</source>
        <translation>Die zusätzlichen Variablen der Vorlage sind ungültig: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="223"/>
        <source>The extra variables given at launch are invalid: %1</source>
        <translation>Die beim Start angegebenen zusätzlichen Variablen sind ungültig: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlanFiles.cpp" line="55"/>
        <source>Cannot pack the job&apos;s files: %1</source>
        <translation>Die Dateien des Jobs können nicht gepackt werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlanFiles.cpp" line="65"/>
        <source>The playbook %1 is missing from this build.</source>
        <translation>Das Playbook %1 fehlt in diesem Build.</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="228"/>
        <source>The playbook %1 is not in the project directory %2.</source>
        <translation>Das Playbook %1 liegt nicht im Projektverzeichnis %2.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ZipArchive.cpp" line="68"/>
        <source>Cannot read the symlink %1 for the job.</source>
        <translation>Der Symlink %1 kann für den Job nicht gelesen werden.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ZipArchive.cpp" line="76"/>
        <source>Cannot read %1 for the job: %2</source>
        <translation>%1 kann für den Job nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/scheduling/SchedulingRules.cpp" line="44"/>
        <source>waiting for job-%1 to finish</source>
        <translation>wartet auf das Ende von job-%1</translation>
    </message>
    <message>
        <location filename="../engine/scheduling/SchedulingRules.cpp" line="61"/>
        <source>This job is not ready to start because there is not enough available capacity.</source>
        <translation>Dieser Job kann noch nicht starten, weil nicht genügend Kapazität verfügbar ist.</translation>
    </message>
    <message>
        <location filename="../engine/bus/Publisher.cpp" line="15"/>
        <source>No database connection to send a notification on.</source>
        <translation>Keine Datenbankverbindung, über die eine Benachrichtigung gesendet werden kann.</translation>
    </message>
    <message>
        <location filename="../engine/dispatch/InstanceRegistry.cpp" line="112"/>
        <source>Job was reaped: its Playdeck instance %1 stopped (it exited, crashed or stopped answering) while the job was running.</source>
        <translation>Der Job wurde bereinigt: Seine Playdeck-Instanz %1 wurde beendet (regulär, durch einen Absturz oder weil sie nicht mehr antwortete), während der Job lief.</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="85"/>
        <location filename="../engine/launch/YamlReader.cpp" line="262"/>
        <source>Extra variables cannot be read: the YAML parser ran out of memory.</source>
        <translation>Die zusätzlichen Variablen können nicht gelesen werden: Dem YAML-Parser ist der Speicher ausgegangen.</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="94"/>
        <source>Extra variables are neither valid YAML nor JSON: %1 (%2)</source>
        <translation>Die zusätzlichen Variablen sind weder gültiges YAML noch JSON: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="96"/>
        <source>, %1 that starts at %2</source>
        <translation>, %1, beginnend in %2</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="118"/>
        <source>Extra variables cannot be read: the value at %1 (%2) is encrypted with ansible-vault (!vault); extra variables cannot carry vaulted values.</source>
        <translation>Die zusätzlichen Variablen können nicht gelesen werden: Der Wert in %1 (%2) ist mit ansible-vault verschlüsselt (!vault); zusätzliche Variablen können keine mit Vault verschlüsselten Werte enthalten.</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="124"/>
        <source>Extra variables cannot be read: the tag %1 at %2 (%3) is not supported in extra variables.</source>
        <translation>Die zusätzlichen Variablen können nicht gelesen werden: Das Tag %1 in %2 (%3) wird in zusätzlichen Variablen nicht unterstützt.</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="143"/>
        <location filename="../engine/launch/YamlReader.cpp" line="246"/>
        <source>Extra variables cannot be read: the tag %1 at %2 (%3) does not go with %4.</source>
        <translation>Die zusätzlichen Variablen können nicht gelesen werden: Das Tag %1 in %2 (%3) passt nicht, denn dort steht %4.</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="157"/>
        <source>Extra variables cannot be read: %1 at %2 (%3) is not a valid %4.</source>
        <translation>Die zusätzlichen Variablen können nicht gelesen werden: %1 in %2 (%3) ist als %4 ungültig.</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="171"/>
        <source>integer</source>
        <translation>Ganzzahl</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="176"/>
        <source>number</source>
        <translation>Zahl</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="227"/>
        <source>boolean (yes, no, true, false, on, off)</source>
        <translation>Wahrheitswert (yes, no, true, false, on, off)</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="281"/>
        <source>Extra variables must be one YAML document, but a second document starts at %1.</source>
        <translation>Die zusätzlichen Variablen müssen ein einziges YAML-Dokument sein, aber in %1 beginnt ein zweites Dokument.</translation>
    </message>
    <message>
        <location filename="../engine/runner/FailureFacts.cpp" line="14"/>
        <source>%1 and %2 more</source>
        <translation>%1 und %2 weitere</translation>
    </message>
    <message>
        <location filename="../engine/runner/FailureFacts.cpp" line="32"/>
        <source>(unnamed task)</source>
        <translation>(unbenannte Aufgabe)</translation>
    </message>
    <message>
        <location filename="../engine/runner/FailureFacts.cpp" line="46"/>
        <source>1 host unreachable: %1.</source>
        <translation>1 Host nicht erreichbar: %1.</translation>
    </message>
    <message>
        <location filename="../engine/runner/FailureFacts.cpp" line="48"/>
        <source>%1 hosts unreachable: %2.</source>
        <translation>%1 Hosts nicht erreichbar: %2.</translation>
    </message>
    <message>
        <location filename="../engine/runner/FailureFacts.cpp" line="53"/>
        <source>Task &apos;%1&apos; failed.</source>
        <translation>Aufgabe &apos;%1&apos; fehlgeschlagen.</translation>
    </message>
    <message>
        <location filename="../engine/runner/FailureFacts.cpp" line="55"/>
        <source>Task &apos;%1&apos; failed on 1 host: %2.</source>
        <translation>Aufgabe &apos;%1&apos; auf 1 Host fehlgeschlagen: %2.</translation>
    </message>
    <message>
        <location filename="../engine/runner/FailureFacts.cpp" line="57"/>
        <source>Task &apos;%1&apos; failed on %2 hosts: %3.</source>
        <translation>Aufgabe &apos;%1&apos; auf %2 Hosts fehlgeschlagen: %3.</translation>
    </message>
    <message>
        <location filename="../engine/runner/InputWait.cpp" line="67"/>
        <source>%1 (variable %2)</source>
        <translation>%1 (Variable %2)</translation>
    </message>
    <message>
        <location filename="../engine/runner/InputWait.cpp" line="90"/>
        <source>Waiting for input at: %1. Nobody can answer a prompt here: cancel the job, or launch it again with the variable given as an extra variable (ansible then skips the prompt).</source>
        <translation>Wartet auf eine Eingabe für: %1. Hier kann niemand auf eine Eingabeaufforderung antworten: den Job abbrechen oder ihn erneut starten und die Variable dabei als zusätzliche Variable angeben (ansible überspringt dann die Eingabeaufforderung).</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="32"/>
        <source>ansible-playbook exited with code %1.</source>
        <translation>ansible-playbook wurde mit Code %1 beendet.</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="35"/>
        <source>The playbook could not be run (ansible-playbook exited with code %1); the output says why.</source>
        <translation>Das Playbook konnte nicht ausgeführt werden (ansible-playbook wurde mit Code %1 beendet); der Grund steht in der Ausgabe.</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="42"/>
        <location filename="../engine/runner/OutcomeRules.cpp" line="90"/>
        <source>Job terminated due to timeout</source>
        <translation>Job wegen Zeitüberschreitung beendet</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="47"/>
        <source>The running ansible process received a shutdown signal.</source>
        <translation>Der laufende ansible-Prozess hat ein Signal zum Herunterfahren erhalten.</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="52"/>
        <source>ansible-runner ended its output without a final status.</source>
        <translation>ansible-runner hat seine Ausgabe ohne abschließenden Status beendet.</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="55"/>
        <source>Job terminated due to error</source>
        <translation>Job wegen eines Fehlers beendet</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="68"/>
        <source>The output of ansible-runner could not be read: %1</source>
        <translation>Die Ausgabe von ansible-runner konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="73"/>
        <source>ansible-runner worker was killed before it finished the job.</source>
        <translation>Der Prozess ansible-runner worker wurde zwangsweise beendet, bevor er den Job abgeschlossen hatte.</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="74"/>
        <source>ansible-runner worker exited with code %1 before the end of its output.</source>
        <translation>Der Prozess ansible-runner worker wurde mit Code %1 beendet, bevor seine Ausgabe vollständig war.</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="87"/>
        <source>Task was canceled due to receiving a shutdown signal.</source>
        <translation>Die Aufgabe wurde abgebrochen, weil ein Signal zum Herunterfahren empfangen wurde.</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="101"/>
        <source>The runner&apos;s artifacts were refused: %1</source>
        <translation>Die Artefakte des Runners wurden abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../engine/store/InventoryStore.cpp" line="35"/>
        <location filename="../engine/store/InventoryStore.cpp" line="44"/>
        <source>There is no inventory with id %1.</source>
        <translation>Es gibt kein Inventar mit der ID %1.</translation>
    </message>
    <message>
        <location filename="../engine/store/InventoryStore.cpp" line="297"/>
        <source>The inventory source (id %1) no longer exists.</source>
        <translation>Die Inventarquelle (ID %1) existiert nicht mehr.</translation>
    </message>
    <message>
        <location filename="../engine/store/InventoryStore.cpp" line="314"/>
        <source>The inventory source &quot;%1&quot; reads a file in a project, but names none.</source>
        <translation>Die Inventarquelle &quot;%1&quot; liest eine Datei in einem Projekt, nennt aber keine.</translation>
    </message>
    <message>
        <location filename="../engine/store/InventoryStore.cpp" line="327"/>
        <source>The inventory source &quot;%1&quot; names %2, which is outside its project.</source>
        <translation>Die Inventarquelle &quot;%1&quot; nennt %2, was außerhalb ihres Projekts liegt.</translation>
    </message>
    <message>
        <location filename="../engine/store/InventoryStore.cpp" line="333"/>
        <source>The inventory source &quot;%1&quot; needs an absolute path, not %2.</source>
        <translation>Die Inventarquelle &quot;%1&quot; braucht einen absoluten Pfad, nicht %2.</translation>
    </message>
    <message>
        <location filename="../engine/store/ProjectStore.cpp" line="21"/>
        <source>The job&apos;s project (id %1) no longer exists.</source>
        <translation>Das Projekt des Jobs (ID %1) existiert nicht mehr.</translation>
    </message>
    <message>
        <location filename="../engine/store/ProjectStore.cpp" line="26"/>
        <source>The project &quot;%1&quot; has not been updated yet, so it has no playbooks: update it first (playdeck project sync &quot;%1&quot;).</source>
        <translation>Das Projekt &quot;%1&quot; wurde noch nicht aktualisiert und hat daher keine Playbooks: zuerst aktualisieren (playdeck project sync &quot;%1&quot;).</translation>
    </message>
    <message>
        <location filename="../engine/store/ProjectStore.cpp" line="41"/>
        <source>The project&apos;s revision %1 is no longer kept in %2, so the job cannot run exactly as it did. Relaunch it with the project&apos;s current revision instead.</source>
        <translation>Die Revision %1 des Projekts ist in %2 nicht mehr vorhanden, daher kann der Job nicht exakt wie damals laufen. Stattdessen mit der aktuellen Revision des Projekts erneut starten.</translation>
    </message>
    <message>
        <location filename="../engine/store/ProjectStore.cpp" line="57"/>
        <source>The project (id %1) no longer exists.</source>
        <translation>Das Projekt (ID %1) existiert nicht mehr.</translation>
    </message>
    <message>
        <location filename="../engine/store/ProjectStore.cpp" line="78"/>
        <source>The project &quot;%1&quot; is a local directory: there is nothing to update.</source>
        <translation>Das Projekt &quot;%1&quot; ist ein lokales Verzeichnis: Es gibt nichts zu aktualisieren.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ProjectUpdatePlan.cpp" line="23"/>
        <source>Cannot create the project directory %1.</source>
        <translation>Das Projektverzeichnis %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ProjectUpdatePlan.cpp" line="119"/>
        <source>The update ended without saying which revision it checked out.</source>
        <translation>Die Aktualisierung endete, ohne anzugeben, welche Revision sie ausgecheckt hat.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ProjectUpdatePlan.cpp" line="124"/>
        <source>The update did not leave the tree of revision %1.</source>
        <translation>Die Aktualisierung hat den Verzeichnisbaum der Revision %1 nicht hinterlassen.</translation>
    </message>
    <message>
        <location filename="../engine/runner/InventoryUpdatePlan.cpp" line="22"/>
        <location filename="../engine/runner/PlanFiles.cpp" line="62"/>
        <source>Cannot create %1.</source>
        <translation>%1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../engine/runner/InventoryUpdatePlan.cpp" line="46"/>
        <source>The update ended without what ansible-inventory read.</source>
        <translation>Die Aktualisierung endete ohne das, was ansible-inventory gelesen hat.</translation>
    </message>
    <message>
        <location filename="../engine/runner/InventoryUpdatePlan.cpp" line="61"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/InventoryUpdatePlan.cpp" line="66"/>
        <source>What ansible-inventory read from %1 is not an inventory: %2</source>
        <translation>Was ansible-inventory aus %1 gelesen hat, ist kein Inventar: %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/InventoryUpdatePlan.cpp" line="75"/>
        <source>Hosts: %1 added, %2 updated, %3 removed. Groups: %4 added, %5 updated, %6 removed.</source>
        <translation>Hosts: %1 hinzugefügt, %2 aktualisiert, %3 entfernt. Gruppen: %4 hinzugefügt, %5 aktualisiert, %6 entfernt.</translation>
    </message>
    <message>
        <location filename="../engine/store/EventStore.cpp" line="369"/>
        <source>Writing the job&apos;s output failed.</source>
        <translation>Die Ausgabe des Jobs konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <location filename="../engine/store/EventStore.cpp" line="372"/>
        <source>The database sent the job&apos;s output in a form Playdeck does not read.</source>
        <translation>Die Datenbank hat die Ausgabe des Jobs in einer Form geschickt, die Playdeck nicht liest.</translation>
    </message>
    <message>
        <location filename="../engine/api/TlsIdentity.cpp" line="23"/>
        <source>The folder %1 cannot be created.</source>
        <translation>Der Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../engine/api/TlsIdentity.cpp" line="40"/>
        <source>A certificate for the websocket cannot be made: openssl does not run (%1).</source>
        <translation>Für den Websocket kann kein Zertifikat erstellt werden: openssl läuft nicht (%1).</translation>
    </message>
    <message>
        <location filename="../engine/api/TlsIdentity.cpp" line="45"/>
        <source>openssl did not make the websocket&apos;s certificate in time.</source>
        <translation>openssl hat das Zertifikat des Websockets nicht rechtzeitig erstellt.</translation>
    </message>
    <message>
        <location filename="../engine/api/TlsIdentity.cpp" line="50"/>
        <source>openssl could not make the websocket&apos;s certificate: %1</source>
        <translation>openssl konnte das Zertifikat des Websockets nicht erstellen: %1</translation>
    </message>
    <message>
        <location filename="../engine/api/TlsIdentity.cpp" line="55"/>
        <source>The permissions of %1 cannot be set.</source>
        <translation>Die Zugriffsrechte von %1 können nicht gesetzt werden.</translation>
    </message>
    <message>
        <location filename="../engine/api/TlsIdentity.cpp" line="63"/>
        <source>%1 cannot be read: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/api/TlsIdentity.cpp" line="89"/>
        <source>The websocket&apos;s TLS needs both a certificate file and a key file.</source>
        <translation>TLS für den Websocket braucht eine Zertifikatsdatei und eine Schlüsseldatei.</translation>
    </message>
    <message>
        <location filename="../engine/api/TlsIdentity.cpp" line="102"/>
        <source>%1 holds no PEM certificate.</source>
        <translation>%1 enthält kein PEM-Zertifikat.</translation>
    </message>
    <message>
        <location filename="../engine/api/TlsIdentity.cpp" line="111"/>
        <source>%1 holds no unencrypted PEM private key (RSA or EC).</source>
        <translation>%1 enthält keinen unverschlüsselten privaten PEM-Schlüssel (RSA oder EC).</translation>
    </message>
</context>
<context>
    <name>Resources</name>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="91"/>
        <location filename="../engine/resources/ResourceSchema.cpp" line="113"/>
        <location filename="../engine/resources/ResourceSchema.cpp" line="153"/>
        <location filename="../engine/resources/ResourceSchema.cpp" line="210"/>
        <source>Unique name.</source>
        <translation>Eindeutiger Name.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="92"/>
        <location filename="../engine/resources/ResourceSchema.cpp" line="114"/>
        <location filename="../engine/resources/ResourceSchema.cpp" line="154"/>
        <location filename="../engine/resources/ResourceSchema.cpp" line="173"/>
        <location filename="../engine/resources/ResourceSchema.cpp" line="211"/>
        <source>What it is for.</source>
        <translation>Wozu es dient.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="94"/>
        <source>ssh (Machine), scm (Source Control) or vault (Vault).</source>
        <translation>ssh (Machine), scm (Source Control) oder vault (Vault).</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="96"/>
        <source>The credential&apos;s fields; secret ones show as $encrypted$ or ASK.</source>
        <translation>Die Felder der Zugangsdaten; geheime erscheinen als $encrypted$ oder ASK.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="116"/>
        <source>Empty for a local directory, or git.</source>
        <translation>Leer für ein lokales Verzeichnis, oder git.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="117"/>
        <source>The directory of a local project&apos;s playbooks.</source>
        <translation>Das Verzeichnis mit den Playbooks eines lokalen Projekts.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="118"/>
        <source>The git repository&apos;s URL (or path).</source>
        <translation>URL (oder Pfad) des Git-Repositorys.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="120"/>
        <source>Branch, tag or commit to check out (default: the remote&apos;s HEAD).</source>
        <translation>Branch, Tag oder Commit zum Auschecken (Standard: HEAD des Remotes).</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="122"/>
        <source>Extra refspec to fetch.</source>
        <translation>Zusätzliche Refspec zum Abrufen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="124"/>
        <source>A Source Control credential for the repository.</source>
        <translation>Zugangsdaten vom Typ Source Control für das Repository.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="125"/>
        <source>Discard local changes before an update.</source>
        <translation>Lokale Änderungen vor einer Aktualisierung verwerfen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="127"/>
        <source>Delete the whole checkout before an update.</source>
        <translation>Den gesamten Checkout vor einer Aktualisierung löschen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="129"/>
        <source>Update submodules to the latest commit of their branch.</source>
        <translation>Submodule auf den neuesten Commit ihres Branches aktualisieren.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="131"/>
        <source>Update the project before each job that uses it.</source>
        <translation>Das Projekt vor jedem Job aktualisieren, der es verwendet.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="133"/>
        <location filename="../engine/resources/ResourceSchema.cpp" line="187"/>
        <source>Seconds an update stays fresh for update on launch.</source>
        <translation>Sekunden, die eine Aktualisierung als aktuell gilt, bevor ein Start erneut aktualisiert.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="134"/>
        <source>Templates may choose another branch.</source>
        <translation>Vorlagen dürfen einen anderen Branch wählen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="136"/>
        <location filename="../engine/resources/ResourceSchema.cpp" line="189"/>
        <source>Seconds an update may take; 0: no limit.</source>
        <translation>Sekunden, die eine Aktualisierung dauern darf; 0: keine Grenze.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="137"/>
        <source>The revision of the last update.</source>
        <translation>Die Revision der letzten Aktualisierung.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="156"/>
        <source>Variables of all hosts: YAML or JSON.</source>
        <translation>Variablen aller Hosts: YAML oder JSON.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="172"/>
        <source>Name, unique in its inventory.</source>
        <translation>Name, eindeutig innerhalb des Inventars.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="174"/>
        <source>The inventory it fills.</source>
        <translation>Das Inventar, das sie füllt.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="177"/>
        <source>file (a path on this machine) or scm (a file in a project).</source>
        <translation>file (ein Pfad auf diesem Rechner) oder scm (eine Datei in einem Projekt).</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="178"/>
        <source>The inventory file, script or directory.</source>
        <translation>Die Inventardatei, das Skript oder das Verzeichnis.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="180"/>
        <source>The project the file is in (source scm).</source>
        <translation>Das Projekt, in dem die Datei liegt (Quelle scm).</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="183"/>
        <source>Remove hosts and groups that vanished from the source.</source>
        <translation>Hosts und Gruppen entfernen, die aus der Quelle verschwunden sind.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="184"/>
        <source>Replace variables instead of merging them.</source>
        <translation>Variablen ersetzen statt zusammenführen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="185"/>
        <source>Update before each job on the inventory.</source>
        <translation>Vor jedem Job auf dem Inventar aktualisieren.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="190"/>
        <source>0 (warnings) to 2 (debug).</source>
        <translation>0 (Warnungen) bis 2 (Debug).</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="206"/>
        <source>Credentials, comma-separated.</source>
        <translation>Zugangsdaten, durch Kommas getrennt.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="213"/>
        <source>run, or check (no changes are made).</source>
        <translation>run oder check (es wird nichts geändert).</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="214"/>
        <source>The hosts to run on.</source>
        <translation>Die Hosts, auf denen ausgeführt wird.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="215"/>
        <source>Where the playbook is.</source>
        <translation>Wo das Playbook liegt.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="216"/>
        <source>The playbook, relative to the project.</source>
        <translation>Das Playbook, relativ zum Projekt.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="217"/>
        <source>Another branch (if the project allows it).</source>
        <translation>Ein anderer Branch (wenn das Projekt es erlaubt).</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="218"/>
        <source>Parallel hosts; 0: ansible&apos;s default.</source>
        <translation>Parallele Hosts; 0: Standard von ansible.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="219"/>
        <source>Host pattern to limit the run to.</source>
        <translation>Host-Muster, auf das der Lauf beschränkt wird.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="221"/>
        <source>0 (normal) to 5.</source>
        <translation>0 (normal) bis 5.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="223"/>
        <source>Extra variables: YAML or JSON.</source>
        <translation>Zusätzliche Variablen: YAML oder JSON.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="224"/>
        <source>Only tasks with these tags.</source>
        <translation>Nur Aufgaben mit diesen Tags.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="225"/>
        <source>Skip tasks with these tags.</source>
        <translation>Aufgaben mit diesen Tags überspringen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="227"/>
        <source>Seconds a job may take; 0: no limit.</source>
        <translation>Sekunden, die ein Job dauern darf; 0: keine Grenze.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="228"/>
        <source>Show the changes tasks make (--diff).</source>
        <translation>Die Änderungen der Aufgaben anzeigen (--diff).</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="229"/>
        <source>Run with privilege escalation (--become).</source>
        <translation>Mit Rechteausweitung ausführen (--become).</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="230"/>
        <source>Jobs of it may run at the same time.</source>
        <translation>Jobs dieser Vorlage dürfen gleichzeitig laufen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="232"/>
        <source>Ask the survey at launch.</source>
        <translation>Beim Start die Umfrage stellen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="234"/>
        <source>The survey: {&quot;name&quot;, &quot;description&quot;, &quot;spec&quot;: [questions]}.</source>
        <translation>Die Umfrage: {&quot;name&quot;, &quot;description&quot;, &quot;spec&quot;: [Fragen]}.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="236"/>
        <source>Prompt for the inventory.</source>
        <translation>Beim Start nach dem Inventar fragen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="237"/>
        <source>Prompt for credentials.</source>
        <translation>Beim Start nach Zugangsdaten fragen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="238"/>
        <source>Prompt for the limit.</source>
        <translation>Beim Start nach der Eingrenzung fragen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="239"/>
        <source>Prompt for job tags.</source>
        <translation>Beim Start nach Job-Tags fragen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="240"/>
        <source>Prompt for skip tags.</source>
        <translation>Beim Start nach zu überspringenden Tags fragen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="241"/>
        <source>Prompt for the verbosity.</source>
        <translation>Beim Start nach der Ausführlichkeit fragen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="242"/>
        <source>Prompt for the job type.</source>
        <translation>Beim Start nach dem Job-Typ fragen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="243"/>
        <source>Prompt for extra variables.</source>
        <translation>Beim Start nach zusätzlichen Variablen fragen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="244"/>
        <source>Prompt for diff mode.</source>
        <translation>Beim Start nach dem Diff-Modus fragen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="245"/>
        <source>Prompt for forks.</source>
        <translation>Beim Start nach Forks fragen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="246"/>
        <source>Prompt for the timeout.</source>
        <translation>Beim Start nach dem Zeitlimit fragen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="247"/>
        <source>Prompt for the branch.</source>
        <translation>Beim Start nach dem Branch fragen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="248"/>
        <source>Where the template is filed, as &quot;Web/Deploy&quot;.</source>
        <translation>Wo die Vorlage abgelegt ist, etwa &quot;Web/Deploy&quot;.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="249"/>
        <source>Shown first among the templates.</source>
        <translation>Wird unter den Vorlagen zuerst angezeigt.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="290"/>
        <source>credential</source>
        <translation>Zugangsdaten</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="292"/>
        <source>project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="294"/>
        <source>inventory</source>
        <translation>Inventar</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="296"/>
        <source>inventory source</source>
        <translation>Inventarquelle</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="298"/>
        <source>job template</source>
        <translation>Job-Vorlage</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="319"/>
        <source>Machine</source>
        <translation>Maschine</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="320"/>
        <location filename="../engine/resources/ResourceSchema.cpp" line="339"/>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="321"/>
        <location filename="../engine/resources/ResourceSchema.cpp" line="340"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="322"/>
        <location filename="../engine/resources/ResourceSchema.cpp" line="341"/>
        <source>SSH private key</source>
        <translation>Privater SSH-Schlüssel</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="326"/>
        <location filename="../engine/resources/ResourceSchema.cpp" line="345"/>
        <source>Private key passphrase</source>
        <translation>Passphrase des privaten Schlüssels</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="328"/>
        <source>Privilege escalation method</source>
        <translation>Methode der Rechteausweitung</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="332"/>
        <source>Privilege escalation username</source>
        <translation>Benutzername für Rechteausweitung</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="336"/>
        <source>Privilege escalation password</source>
        <translation>Passwort für Rechteausweitung</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="338"/>
        <source>Source Control</source>
        <translation>Quellcodeverwaltung</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="347"/>
        <source>Vault</source>
        <translation>Vault</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="348"/>
        <source>Vault password</source>
        <translation>Vault-Passwort</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSchema.cpp" line="349"/>
        <source>Vault identifier</source>
        <translation>Vault-Kennung</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceSummary.cpp" line="15"/>
        <source>%1 hosts, %2 groups</source>
        <translation>%1 Hosts, %2 Gruppen</translation>
    </message>
    <message>
        <location filename="../engine/services/InventoryService.cpp" line="25"/>
        <source>There is no inventory named &quot;%1&quot;.</source>
        <translation>Es gibt kein Inventar namens &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../engine/services/ResourceService.cpp" line="29"/>
        <source>There is no %1 named &quot;%2&quot;.</source>
        <translation>%1 &quot;%2&quot; gibt es nicht.</translation>
    </message>
    <message>
        <location filename="../engine/services/ResourceService.cpp" line="66"/>
        <source>%1 (copy)</source>
        <translation>%1 (Kopie)</translation>
    </message>
    <message>
        <location filename="../engine/services/ResourceService.cpp" line="67"/>
        <source>%1 (copy %2)</source>
        <translation>%1 (Kopie %2)</translation>
    </message>
    <message>
        <location filename="../engine/services/ResourceService.cpp" line="174"/>
        <source>There is no project named &quot;%1&quot;.</source>
        <translation>Es gibt kein Projekt namens &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../engine/store/CredentialStore.cpp" line="29"/>
        <source>There is no credential with id %1.</source>
        <translation>Es gibt keine Zugangsdaten mit der ID %1.</translation>
    </message>
    <message>
        <location filename="../engine/store/CredentialStore.cpp" line="30"/>
        <source>There is no credential named &quot;%1&quot;.</source>
        <translation>Es gibt keine Zugangsdaten namens &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="60"/>
        <source>There is already a %1 named &quot;%2&quot;.</source>
        <translation>%1 &quot;%2&quot; gibt es bereits.</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="62"/>
        <source>Its inventory already has a source named &quot;%1&quot;.</source>
        <translation>Das Inventar hat bereits eine Quelle namens &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="186"/>
        <source>Several inventories have a source named &quot;%1&quot;: name the inventory too.</source>
        <translation>Mehrere Inventare haben eine Quelle namens &quot;%1&quot;: auch das Inventar angeben.</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="209"/>
        <location filename="../engine/store/ResourceStore.cpp" line="504"/>
        <source>There is no %1 with id %2.</source>
        <translation>%1 mit der ID %2 gibt es nicht.</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="228"/>
        <source>There is no %1 named &quot;%2&quot; (%3).</source>
        <translation>%1 &quot;%2&quot; gibt es nicht (%3).</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="241"/>
        <source>The secret %1 must go to the keychain, not to the database.</source>
        <translation>Das Geheimnis %1 gehört in den Schlüsselbund, nicht in die Datenbank.</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="253"/>
        <source>A project&apos;s credential must be a Source Control credential.</source>
        <translation>Die Zugangsdaten eines Projekts müssen vom Typ Source Control sein.</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="258"/>
        <source>The project directory %1 does not exist on this machine.</source>
        <translation>Das Projektverzeichnis %1 existiert auf diesem Rechner nicht.</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="276"/>
        <source>&quot;%1&quot; is a Source Control credential: a template takes Machine and Vault credentials; give it to the project instead.</source>
        <translation>&quot;%1&quot; sind Zugangsdaten vom Typ Source Control: Eine Vorlage nimmt Zugangsdaten vom Typ Machine und Vault; diese stattdessen dem Projekt zuordnen.</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="282"/>
        <source>A template takes one Machine credential, not two.</source>
        <translation>Eine Vorlage nimmt nur einen Satz Zugangsdaten vom Typ Machine, nicht zwei.</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="287"/>
        <source>Two Vault credentials with the same vault id (&quot;%1&quot;): ansible could use only one.</source>
        <translation>Zwei Vault-Zugangsdaten mit derselben Vault-ID (&quot;%1&quot;): ansible könnte nur die einen oder die anderen verwenden.</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="307"/>
        <source>The project &quot;%1&quot; has no playbooks.</source>
        <translation>Das Projekt &quot;%1&quot; hat keine Playbooks.</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="309"/>
        <source>The project &quot;%1&quot; has no playbook %2. Its playbooks: %3.</source>
        <translation>Das Projekt &quot;%1&quot; hat kein Playbook %2. Seine Playbooks: %3.</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="420"/>
        <source>The %1 &quot;%2&quot; no longer exists.</source>
        <translation>%1 &quot;%2&quot; gibt es nicht mehr.</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="450"/>
        <location filename="../engine/store/ResourceStore.cpp" line="456"/>
        <location filename="../engine/store/ResourceStore.cpp" line="466"/>
        <source>job template &quot;%1&quot;</source>
        <translation>Job-Vorlage &quot;%1&quot;</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="452"/>
        <source>project &quot;%1&quot;</source>
        <translation>Projekt &quot;%1&quot;</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="459"/>
        <source>inventory source &quot;%1&quot;</source>
        <translation>Inventarquelle &quot;%1&quot;</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="462"/>
        <location filename="../engine/store/ResourceStore.cpp" line="469"/>
        <location filename="../engine/store/ResourceStore.cpp" line="479"/>
        <source>unfinished job %1</source>
        <translation>nicht beendeter Job %1</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="474"/>
        <source>unfinished update %1</source>
        <translation>nicht beendete Aktualisierung %1</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="513"/>
        <source>The %1 &quot;%2&quot; is in use by %3; change or delete those first.</source>
        <translation>Löschen von %1 &quot;%2&quot; nicht möglich, noch in Verwendung durch: %3. Diese zuerst ändern oder löschen.</translation>
    </message>
    <message>
        <location filename="../engine/store/ResourceStore.cpp" line="520"/>
        <source>The %1 &quot;%2&quot; is still in use: %3</source>
        <translation>Löschen von %1 &quot;%2&quot; nicht möglich, noch in Verwendung: %3</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="30"/>
        <source>%1 must be %2.</source>
        <translation>%1 muss %2 sein.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="38"/>
        <source>text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="46"/>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="47"/>
        <source>one of %1</source>
        <translation>eines von %1</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="62"/>
        <source>true or false</source>
        <translation>true oder false</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="74"/>
        <source>a whole number</source>
        <translation>eine ganze Zahl</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="76"/>
        <source>between %1 and %2</source>
        <translation>zwischen %1 und %2</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="86"/>
        <source>YAML or JSON text</source>
        <translation>YAML- oder JSON-Text</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="90"/>
        <location filename="../engine/store/ResourceStore.cpp" line="371"/>
        <source>%1 is not valid YAML or JSON: %2</source>
        <translation>%1 ist kein gültiges YAML oder JSON: %2</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="104"/>
        <source>a JSON object</source>
        <translation>ein JSON-Objekt</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="111"/>
        <location filename="../engine/resources/ResourceRules.cpp" line="119"/>
        <source>a list of names</source>
        <translation>eine Liste von Namen</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="125"/>
        <source>%1 names &quot;%2&quot; twice.</source>
        <translation>%1 nennt &quot;%2&quot; zweimal.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="143"/>
        <source>The playbook must be a path inside the project, not %1.</source>
        <translation>Das Playbook muss ein Pfad innerhalb des Projekts sein, nicht %1.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="175"/>
        <source>Survey question %1</source>
        <translation>Umfragefrage %1</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="178"/>
        <source>%1: type must be one of %2.</source>
        <translation>%1: type muss eines von %2 sein.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="181"/>
        <source>%1: question_name is missing.</source>
        <translation>%1: question_name fehlt.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="185"/>
        <source>%1: variable &quot;%2&quot; is not a valid variable name (letters, digits and _, not starting with a digit).</source>
        <translation>%1: Die Variable &quot;%2&quot; ist kein gültiger Variablenname (Buchstaben, Ziffern und _, nicht mit einer Ziffer beginnend).</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="191"/>
        <source>%1: variable &quot;%2&quot; is asked twice.</source>
        <translation>%1: Die Variable &quot;%2&quot; wird zweimal abgefragt.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="194"/>
        <source>%1: required must be true or false.</source>
        <translation>%1: required muss true oder false sein.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="203"/>
        <source>%1: %2 must be a whole number.</source>
        <translation>%1: %2 muss eine ganze Zahl sein.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="208"/>
        <source>%1: min (%2) is greater than max (%3).</source>
        <translation>%1: min (%2) ist größer als max (%3).</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="217"/>
        <source>%1: choices_from must be hosts or groups.</source>
        <translation>%1: choices_from muss hosts oder groups sein.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="221"/>
        <source>%1: a %2 question needs choices.</source>
        <translation>%1: Eine Frage vom Typ %2 braucht Auswahlmöglichkeiten.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="229"/>
        <source>%1: the default &quot;%2&quot; is not one of the choices.</source>
        <translation>%1: Der Standardwert &quot;%2&quot; ist keine der Auswahlmöglichkeiten.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="237"/>
        <source>%1: the default must be a number.</source>
        <translation>%1: Der Standardwert muss eine Zahl sein.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="240"/>
        <source>%1: the default must be a whole number.</source>
        <translation>%1: Der Standardwert muss eine ganze Zahl sein.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="243"/>
        <source>%1: the default is outside min and max.</source>
        <translation>%1: Der Standardwert liegt außerhalb von min und max.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="251"/>
        <source>%1: the regex is invalid: %2</source>
        <translation>%1: Der reguläre Ausdruck ist ungültig: %2</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="257"/>
        <source>%1: the default&apos;s length is outside min and max.</source>
        <translation>%1: Die Länge des Standardwerts liegt außerhalb von min und max.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="284"/>
        <source>A %1 has no field &quot;%2&quot; that can be set. Fields: %3.</source>
        <translation>%1: Es gibt kein setzbares Feld &quot;%2&quot;. Felder: %3.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="299"/>
        <source>The survey&apos;s %1 must be text.</source>
        <translation>Das Feld %1 der Umfrage muss Text sein.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="302"/>
        <source>The survey needs a &quot;spec&quot;: a list of questions.</source>
        <translation>Die Umfrage braucht eine &quot;spec&quot;: eine Liste von Fragen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="308"/>
        <source>Survey question %1 is not an object.</source>
        <translation>Umfragefrage %1 ist kein Objekt.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="320"/>
        <location filename="../engine/services/CredentialService.cpp" line="36"/>
        <source>There is no credential kind &quot;%1&quot;; use ssh, scm or vault.</source>
        <translation>Es gibt keine Art von Zugangsdaten &quot;%1&quot;; ssh, scm oder vault verwenden.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="328"/>
        <source>A %1 credential has no input &quot;%2&quot;. Inputs: %3.</source>
        <translation>Zugangsdaten vom Typ %1 haben kein Eingabefeld &quot;%2&quot;. Eingabefelder: %3.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="332"/>
        <source>The credential input %1 must be text.</source>
        <translation>Das Eingabefeld %1 der Zugangsdaten muss Text sein.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="335"/>
        <source>%1 must be one of %2.</source>
        <translation>%1 muss eines von %2 sein.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="339"/>
        <source>%1 is not a secret and cannot be asked at launch.</source>
        <translation>%1 ist kein Geheimnis und kann nicht beim Start abgefragt werden.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="343"/>
        <source>ssh_key_data is not a private key in PEM or OpenSSH format (&quot;-----BEGIN … PRIVATE KEY-----&quot;).</source>
        <translation>ssh_key_data ist kein privater Schlüssel im PEM- oder OpenSSH-Format (&quot;-----BEGIN … PRIVATE KEY-----&quot;).</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="353"/>
        <source>A %1 needs %2.</source>
        <translation>%1: Das Feld %2 ist erforderlich.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="359"/>
        <source>A git project needs scm_url: the repository to clone.</source>
        <translation>Ein Git-Projekt braucht scm_url: das zu klonende Repository.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="364"/>
        <source>A local project needs local_path: the directory of its playbooks (or set scm_type git and scm_url).</source>
        <translation>Ein lokales Projekt braucht local_path: das Verzeichnis seiner Playbooks (oder scm_type git und scm_url setzen).</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="377"/>
        <source>An inventory source of type scm needs source_project.</source>
        <translation>Eine Inventarquelle vom Typ scm braucht source_project.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="382"/>
        <source>source_path must be a path inside the project.</source>
        <translation>source_path muss ein Pfad innerhalb des Projekts sein.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="385"/>
        <source>A file inventory source needs an absolute source_path.</source>
        <translation>Eine Inventarquelle vom Typ file braucht einen absoluten source_path.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="399"/>
        <source>survey_enabled is set but the survey has no questions.</source>
        <translation>survey_enabled ist gesetzt, aber die Umfrage hat keine Fragen.</translation>
    </message>
    <message>
        <location filename="../engine/resources/ResourceRules.cpp" line="403"/>
        <source>A job template needs an inventory, or ask_inventory_on_launch.</source>
        <translation>Eine Job-Vorlage braucht ein Inventar oder ask_inventory_on_launch.</translation>
    </message>
    <message>
        <location filename="../engine/services/CredentialService.cpp" line="44"/>
        <source>A %1 credential has no secret input &quot;%2&quot;.</source>
        <translation>Zugangsdaten vom Typ %1 haben kein geheimes Eingabefeld &quot;%2&quot;.</translation>
    </message>
    <message>
        <location filename="../engine/services/CredentialService.cpp" line="230"/>
        <source>The keychain no longer has the %1 of credential &quot;%2&quot;. Set it again: playdeck credential update &quot;%2&quot; --%1_file FILE (or in its editor).</source>
        <translation>Der Schlüsselbund enthält %1 der Zugangsdaten &quot;%2&quot; nicht mehr. Neu setzen mit: playdeck credential update &quot;%2&quot; --%1_file FILE (oder im Editor der Zugangsdaten).</translation>
    </message>
</context>
<context>
    <name>ResultStreamParser</name>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="92"/>
        <source>The runner&apos;s output ends in the middle of the artifacts block on line %1 (%2 of %3 base64 characters arrived).</source>
        <translation>Die Ausgabe des Runners endet mitten im Artefaktblock in Zeile %1 (%2 von %3 Base64-Zeichen sind angekommen).</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="98"/>
        <source>The runner&apos;s output ends in the middle of line %1.</source>
        <translation>Die Ausgabe des Runners endet mitten in Zeile %1.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="111"/>
        <source>Line %1 of the runner&apos;s output is longer than the limit of %2 bytes.</source>
        <translation>Zeile %1 der Ausgabe des Runners ist länger als die Grenze von %2 Bytes.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="156"/>
        <source>Line %1 of the runner&apos;s output goes on after the artifacts block with something that is not JSON (%2); is the block longer than the %3 bytes announced? %4</source>
        <translation>Zeile %1 der Ausgabe des Runners geht nach dem Artefaktblock mit etwas weiter, das kein JSON ist (%2); ist der Block länger als die angekündigten %3 Bytes? %4</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="162"/>
        <source>Line %1 of the runner&apos;s output is not JSON (%2): %3</source>
        <translation>Zeile %1 der Ausgabe des Runners ist kein JSON (%2): %3</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="167"/>
        <source>Line %1 of the runner&apos;s output is not a JSON object: %2</source>
        <translation>Zeile %1 der Ausgabe des Runners ist kein JSON-Objekt: %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="191"/>
        <source>an event without a counter</source>
        <translation>ein Ereignis ohne Zähler</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="195"/>
        <source>counter %1 is not a positive whole number</source>
        <translation>Zähler %1 ist keine positive ganze Zahl</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="213"/>
        <source>duplicate counter %1</source>
        <translation>doppelter Zähler %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="229"/>
        <source>Line %1 of the runner&apos;s output: the event counters are scattered over more than %2 runs.</source>
        <translation>Zeile %1 der Ausgabe des Runners: Die Ereigniszähler verteilen sich auf mehr als %2 getrennte Bereiche.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="244"/>
        <source>Line %1 of the runner&apos;s output announces a second artifacts block.</source>
        <translation>Zeile %1 der Ausgabe des Runners kündigt einen zweiten Artefaktblock an.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="248"/>
        <source>Line %1 of the runner&apos;s output announces an artifacts size of %2, which is not a whole number of bytes.</source>
        <translation>Zeile %1 der Ausgabe des Runners kündigt eine Artefaktgröße von %2 an, die keine ganze Zahl von Bytes ist.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="253"/>
        <source>Line %1 of the runner&apos;s output announces %2 bytes of artifacts, more than the limit of %3 bytes.</source>
        <translation>Zeile %1 der Ausgabe des Runners kündigt %2 Bytes Artefakte an, mehr als die Grenze von %3 Bytes.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="268"/>
        <location filename="../engine/runner/ResultStream.cpp" line="328"/>
        <location filename="../engine/runner/ResultStream.cpp" line="341"/>
        <source>Cannot store the job&apos;s artifacts (line %1 of the runner&apos;s output): %2</source>
        <translation>Die Artefakte des Jobs können nicht gespeichert werden (Zeile %1 der Ausgabe des Runners): %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="291"/>
        <source>The artifacts block on line %1 of the runner&apos;s output is not valid base64: character %2 of %3 is %4%5.</source>
        <translation>Der Artefaktblock in Zeile %1 der Ausgabe des Runners ist kein gültiges Base64: Zeichen %2 von %3 ist %4%5.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="297"/>
        <source> where &apos;=&apos; padding belongs</source>
        <translation> an einer Stelle, an die das Füllzeichen &apos;=&apos; gehört</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="300"/>
        <source>The block is shorter than the %1 bytes announced.</source>
        <translation>Der Block ist kürzer als die angekündigten %1 Bytes.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="357"/>
        <source>The runner&apos;s output goes on after its end marker, on line %1.</source>
        <translation>Die Ausgabe des Runners geht nach ihrer Endmarkierung weiter, in Zeile %1.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="375"/>
        <source>line %1 (%2)</source>
        <translation>Zeile %1 (%2)</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="378"/>
        <source>1 line of the runner&apos;s output was refused: %1</source>
        <translation>1 Zeile der Ausgabe des Runners wurde abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="379"/>
        <source>%1 lines of the runner&apos;s output were refused: %2</source>
        <translation>%1 Zeilen der Ausgabe des Runners wurden abgelehnt: %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="383"/>
        <source> and %1 more</source>
        <translation> und %1 weitere</translation>
    </message>
</context>
<context>
    <name>SafeUnpacker</name>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="78"/>
        <source>The job&apos;s artifacts were refused at entry %1 (&quot;%2&quot;): %3</source>
        <translation>Die Artefakte des Jobs wurden bei Eintrag %1 (&quot;%2&quot;) abgelehnt: %3</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="87"/>
        <source>its name cannot be read</source>
        <translation>Der Name kann nicht gelesen werden</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="90"/>
        <source>its name is empty</source>
        <translation>Der Name ist leer</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="92"/>
        <source>its name is longer than %1 bytes</source>
        <translation>Der Name ist länger als %1 Bytes</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="94"/>
        <source>its name is an absolute path</source>
        <translation>Der Name ist ein absoluter Pfad</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="98"/>
        <source>its name contains a backslash</source>
        <translation>Der Name enthält einen Backslash</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="103"/>
        <source>its name contains &apos;..&apos;</source>
        <translation>Der Name enthält &apos;..&apos;</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="105"/>
        <source>a part of its name is longer than %1 bytes</source>
        <translation>Ein Teil des Namens ist länger als %1 Bytes</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="109"/>
        <source>its name is the destination itself</source>
        <translation>Der Name bezeichnet das Zielverzeichnis selbst</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="120"/>
        <source>it is a symlink without a target</source>
        <translation>Er ist ein Symlink ohne Ziel</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="122"/>
        <source>its symlink target is longer than %1 bytes</source>
        <translation>Das Symlink-Ziel ist länger als %1 Bytes</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="124"/>
        <source>it is a symlink to an absolute path</source>
        <translation>Er ist ein Symlink auf einen absoluten Pfad</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="126"/>
        <source>its symlink target contains a backslash</source>
        <translation>Das Symlink-Ziel enthält einen Backslash</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="138"/>
        <source>its symlink target uses &apos;..&apos; after a name</source>
        <translation>Das Symlink-Ziel verwendet &apos;..&apos; nach einem Namen</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="140"/>
        <source>it is a symlink pointing outside the artifacts</source>
        <translation>Er ist ein Symlink, der aus den Artefakten hinauszeigt</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="147"/>
        <source>it is a hard link</source>
        <translation>Er ist ein Hardlink</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="156"/>
        <source>it is a device</source>
        <translation>Er ist eine Gerätedatei</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="158"/>
        <source>it is a FIFO</source>
        <translation>Er ist ein FIFO</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="160"/>
        <source>it is a socket</source>
        <translation>Er ist ein Socket</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="162"/>
        <source>it is not a file, a directory or a symlink</source>
        <translation>Er ist weder eine Datei noch ein Verzeichnis noch ein Symlink</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="177"/>
        <source>its data cannot be read: %1</source>
        <translation>Seine Daten können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="180"/>
        <source>its data has holes</source>
        <translation>Seine Daten haben Lücken</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="183"/>
        <source>it holds more data than its header says</source>
        <translation>Er enthält mehr Daten, als sein Header angibt</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="185"/>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="238"/>
        <source>the artifacts unpack to more than %1 bytes</source>
        <translation>Die Artefakte ergeben entpackt mehr als %1 Bytes</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="187"/>
        <source>cannot write it: %1</source>
        <translation>Er kann nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="196"/>
        <source>Cannot create %1 for the job&apos;s artifacts.</source>
        <translation>%1 kann für die Artefakte des Jobs nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="201"/>
        <source>Cannot find %1 for the job&apos;s artifacts.</source>
        <translation>%1 kann für die Artefakte des Jobs nicht gefunden werden.</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="208"/>
        <source>Cannot read the job&apos;s artifacts %1: %2</source>
        <translation>Die Artefakte %1 des Jobs können nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="226"/>
        <source>the archive cannot be read: %1</source>
        <translation>Das Archiv kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="229"/>
        <source>the artifacts have more than %1 entries</source>
        <translation>Die Artefakte haben mehr als %1 Einträge</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="266"/>
        <source>Cannot finish unpacking the job&apos;s artifacts: %1</source>
        <translation>Das Entpacken der Artefakte des Jobs kann nicht abgeschlossen werden: %1</translation>
    </message>
</context>
<context>
    <name>SecretPrompt</name>
    <message>
        <location filename="../app/SecretPrompt.cpp" line="24"/>
        <source>There is no terminal to ask for the secret on; give it in a file instead (--…-file FILE, or - for standard input).</source>
        <translation>Es gibt kein Terminal, an dem nach dem Geheimnis gefragt werden kann; es stattdessen in einer Datei angeben (--…-file FILE, oder - für die Standardeingabe).</translation>
    </message>
    <message>
        <location filename="../app/SecretPrompt.cpp" line="51"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
</context>
<context>
    <name>SecretStore</name>
    <message>
        <location filename="../engine/secrets/SecretStore.cpp" line="30"/>
        <source>Playdeck keeps secrets only in the desktop keychain (the Secret Service of GNOME Keyring or KWallet), and there is none it can use (%1). Nothing was stored in its place. In a desktop session, install gnome-keyring and log in again; without one, start Playdeck inside `dbus-run-session` after unlocking a keyring with `gnome-keyring-daemon --unlock --components=secrets`.</source>
        <translation>Playdeck bewahrt Geheimnisse nur im Schlüsselbund des Desktops auf (dem Secret Service von GNOME Keyring oder KWallet), findet aber keinen, den es verwenden kann (%1). Ersatzweise wurde nichts anderswo gespeichert. In einer Desktop-Sitzung gnome-keyring installieren und neu anmelden; ohne Desktop-Sitzung Playdeck in `dbus-run-session` starten, nachdem ein Schlüsselbund mit `gnome-keyring-daemon --unlock --components=secrets` entsperrt wurde.</translation>
    </message>
    <message>
        <location filename="../engine/secrets/SecretStore.cpp" line="83"/>
        <source>The keychain refused %1: %2</source>
        <translation>Der Schlüsselbund hat %1 abgelehnt: %2</translation>
    </message>
</context>
<context>
    <name>Survey</name>
    <message>
        <location filename="../engine/launch/Survey.cpp" line="63"/>
        <source>an answer is required</source>
        <translation>eine Antwort ist erforderlich</translation>
    </message>
    <message>
        <location filename="../engine/launch/Survey.cpp" line="71"/>
        <source>&quot;%1&quot; is not a number</source>
        <translation>&quot;%1&quot; ist keine Zahl</translation>
    </message>
    <message>
        <location filename="../engine/launch/Survey.cpp" line="73"/>
        <source>%1 is not a whole number</source>
        <translation>%1 ist keine ganze Zahl</translation>
    </message>
    <message>
        <location filename="../engine/launch/Survey.cpp" line="75"/>
        <source>%1 is not between %2 and %3</source>
        <translation>%1 liegt nicht zwischen %2 und %3</translation>
    </message>
    <message>
        <location filename="../engine/launch/Survey.cpp" line="85"/>
        <location filename="../engine/launch/Survey.cpp" line="93"/>
        <source>&quot;%1&quot; is not one of the choices (%2)</source>
        <translation>&quot;%1&quot; ist keine der Auswahlmöglichkeiten (%2)</translation>
    </message>
    <message>
        <location filename="../engine/launch/Survey.cpp" line="96"/>
        <source>pick at least one</source>
        <translation>mindestens eine auswählen</translation>
    </message>
    <message>
        <location filename="../engine/launch/Survey.cpp" line="101"/>
        <source>the answer must be text</source>
        <translation>die Antwort muss Text sein</translation>
    </message>
    <message>
        <location filename="../engine/launch/Survey.cpp" line="105"/>
        <source>it must be %1 to %2 characters long</source>
        <translation>sie muss %1 bis %2 Zeichen lang sein</translation>
    </message>
    <message>
        <location filename="../engine/launch/Survey.cpp" line="106"/>
        <source>it must be at least %1 characters long</source>
        <translation>sie muss mindestens %1 Zeichen lang sein</translation>
    </message>
    <message>
        <location filename="../engine/launch/Survey.cpp" line="107"/>
        <source>it must be at most %1 characters long</source>
        <translation>sie darf höchstens %1 Zeichen lang sein</translation>
    </message>
    <message>
        <location filename="../engine/launch/Survey.cpp" line="113"/>
        <source>it does not match %1</source>
        <translation>sie passt nicht zu %1</translation>
    </message>
    <message>
        <location filename="../engine/launch/Survey.cpp" line="114"/>
        <source>&quot;%1&quot; does not match %2</source>
        <translation>&quot;%1&quot; passt nicht zu %2</translation>
    </message>
    <message>
        <location filename="../engine/launch/Survey.cpp" line="139"/>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/WindowMain.cpp" line="55"/>
        <source>The websocket server cannot start: %1</source>
        <translation>Der Websocket-Server kann nicht starten: %1</translation>
    </message>
    <message>
        <location filename="../app/WindowMain.cpp" line="61"/>
        <source>The database answers again.</source>
        <translation>Die Datenbank antwortet wieder.</translation>
    </message>
</context>
<context>
    <name>playdeck::CallbackReceiver</name>
    <message>
        <location filename="../engine/events/CallbackReceiver.cpp" line="100"/>
        <source>For %1 s Playdeck could not record that all events of a job are stored: %2. It keeps trying.</source>
        <translation>Seit %1 s kann Playdeck nicht festhalten, dass alle Ereignisse eines Jobs gespeichert sind: %2. Es versucht es weiter.</translation>
    </message>
    <message>
        <location filename="../engine/events/CallbackReceiver.cpp" line="105"/>
        <source>1 event could not be stored for %1 s: %2. Playdeck keeps it and keeps trying.</source>
        <translation>1 Ereignis konnte seit %1 s nicht gespeichert werden: %2. Playdeck behält es und versucht es weiter.</translation>
    </message>
    <message>
        <location filename="../engine/events/CallbackReceiver.cpp" line="108"/>
        <source>%1 events could not be stored for %2 s: %3. Playdeck keeps them and keeps trying.</source>
        <translation>%1 Ereignisse konnten seit %2 s nicht gespeichert werden: %3. Playdeck behält sie und versucht es weiter.</translation>
    </message>
    <message>
        <location filename="../engine/events/CallbackReceiver.cpp" line="168"/>
        <source>the database refused it: %1</source>
        <translation>die Datenbank hat es abgelehnt: %1</translation>
    </message>
</context>
<context>
    <name>playdeck::ClusterKeeper</name>
    <message>
        <location filename="../engine/db/ClusterKeeper.cpp" line="38"/>
        <source>The database server stopped answering; it is being restarted.</source>
        <translation>Der Datenbankserver antwortet nicht mehr; er wird neu gestartet.</translation>
    </message>
</context>
<context>
    <name>playdeck::Commands</name>
    <message>
        <location filename="../app/CommandSupport.cpp" line="26"/>
        <source>usage: playdeck %1</source>
        <translation>Aufruf: playdeck %1</translation>
    </message>
    <message>
        <location filename="../app/CommandSupport.cpp" line="36"/>
        <source>&apos;%1&apos; is not a job id</source>
        <translation>&apos;%1&apos; ist keine Job-ID</translation>
    </message>
    <message>
        <location filename="../app/CommandSupport.cpp" line="66"/>
        <source>The database answers again.</source>
        <translation>Die Datenbank antwortet wieder.</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="81"/>
        <source>Name of the job template.</source>
        <translation>Name der Job-Vorlage.</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="42"/>
        <location filename="../app/ResourceCommands.cpp" line="314"/>
        <source>%1 for credential &quot;%2&quot;: </source>
        <translation>%1 für Zugangsdaten &quot;%2&quot;: </translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="45"/>
        <source>The launch needs the %1 of credential &quot;%2&quot;: %3 Or put it in a --secrets-file under &quot;%2/%1&quot;.</source>
        <translation>Der Start braucht %1 der Zugangsdaten &quot;%2&quot;: %3 Oder den Wert in einer --secrets-file unter &quot;%2/%1&quot; angeben.</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="65"/>
        <source>%1 (%2): </source>
        <translation>%1 (%2): </translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="84"/>
        <source>Extra variables and survey answers: JSON, YAML or @file.</source>
        <translation>Zusätzliche Variablen und Umfrageantworten: JSON, YAML oder @Datei.</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="85"/>
        <source>Host pattern to limit the run to.</source>
        <translation>Host-Muster, auf das der Lauf beschränkt wird.</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="87"/>
        <source>0 (normal) to 5.</source>
        <translation>0 (normal) bis 5.</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="89"/>
        <source>Run in check mode.</source>
        <translation>Im Prüfmodus ausführen.</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="90"/>
        <source>Another inventory.</source>
        <translation>Ein anderes Inventar.</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="94"/>
        <source>A credential to use instead of the template&apos;s (repeat for several).</source>
        <translation>Zugangsdaten, die statt derer der Vorlage verwendet werden (für mehrere wiederholen).</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="97"/>
        <source>Only tasks with these tags.</source>
        <translation>Nur Aufgaben mit diesen Tags.</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="99"/>
        <source>Skip tasks with these tags.</source>
        <translation>Aufgaben mit diesen Tags überspringen.</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="100"/>
        <source>Show the changes tasks make.</source>
        <translation>Die Änderungen der Aufgaben anzeigen.</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="101"/>
        <source>Parallel hosts.</source>
        <translation>Parallele Hosts.</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="103"/>
        <source>Seconds the job may take.</source>
        <translation>Sekunden, die der Job dauern darf.</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="107"/>
        <source>YAML or JSON with passwords the launch needs: &quot;CREDENTIAL/INPUT&quot; or a survey variable → value.</source>
        <translation>YAML oder JSON mit den Passwörtern, die der Start braucht: &quot;CREDENTIAL/INPUT&quot; oder eine Umfragevariable → Wert.</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="111"/>
        <source>Stream the job&apos;s output until it ends.</source>
        <translation>Die Ausgabe des Jobs bis zu seinem Ende anzeigen.</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="149"/>
        <source>--%1 takes a whole number</source>
        <translation>--%1 erwartet eine ganze Zahl</translation>
    </message>
    <message>
        <location filename="../app/LaunchCommand.cpp" line="158"/>
        <source>The secrets file: %1</source>
        <translation>Die Secrets-Datei: %1</translation>
    </message>
    <message>
        <location filename="../app/AwxCommands.cpp" line="20"/>
        <source>The output of awx export (JSON or YAML).</source>
        <translation>Die Ausgabe von awx export (JSON oder YAML).</translation>
    </message>
    <message>
        <location filename="../app/AwxCommands.cpp" line="23"/>
        <source>Where manual projects&apos; directories are (AWX&apos;s PROJECTS_ROOT).</source>
        <translation>Wo die Verzeichnisse manueller Projekte liegen (PROJECTS_ROOT von AWX).</translation>
    </message>
    <message>
        <location filename="../app/AwxCommands.cpp" line="25"/>
        <source>Print the report as JSON.</source>
        <translation>Den Bericht als JSON ausgeben.</translation>
    </message>
    <message>
        <location filename="../app/AwxCommands.cpp" line="31"/>
        <location filename="../app/LaunchCommand.cpp" line="27"/>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../app/AwxCommands.cpp" line="37"/>
        <source>%1 is not an awx export: %2</source>
        <translation>%1 ist kein awx-Export: %2</translation>
    </message>
    <message>
        <location filename="../app/AwxCommands.cpp" line="61"/>
        <source>created %1</source>
        <translation>angelegt: %1</translation>
    </message>
    <message>
        <location filename="../app/AwxCommands.cpp" line="63"/>
        <source>updated %1</source>
        <translation>aktualisiert: %1</translation>
    </message>
    <message>
        <location filename="../app/AwxCommands.cpp" line="64"/>
        <source>%1 created, %2 updated, %3 unchanged.</source>
        <translation>%1 angelegt, %2 aktualisiert, %3 unverändert.</translation>
    </message>
    <message>
        <location filename="../app/AwxCommands.cpp" line="80"/>
        <source>Resources to export (any kind).</source>
        <translation>Zu exportierende Ressourcen (beliebiger Art).</translation>
    </message>
    <message>
        <location filename="../app/AwxCommands.cpp" line="83"/>
        <source>Export everything (the default without names).</source>
        <translation>Alles exportieren (Standard ohne Namen).</translation>
    </message>
    <message>
        <location filename="../app/AwxCommands.cpp" line="85"/>
        <source>Write to FILE.</source>
        <translation>In FILE schreiben.</translation>
    </message>
    <message>
        <location filename="../app/AwxCommands.cpp" line="90"/>
        <source>Give --all or names, not both.</source>
        <translation>Entweder --all oder Namen angeben, nicht beides.</translation>
    </message>
    <message>
        <location filename="../app/AwxCommands.cpp" line="110"/>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="143"/>
        <source>The websocket wants [ADDRESS:]PORT, such as 8052 or 0.0.0.0:8052, not &quot;%1&quot;.</source>
        <translation>Der Websocket braucht [ADRESSE:]PORT, etwa 8052 oder 0.0.0.0:8052, nicht &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="160"/>
        <source>wss:// needs both --tls-certificate and --tls-key, or neither (a self-signed certificate in the data directory).</source>
        <translation>wss:// braucht --tls-certificate und --tls-key gemeinsam oder keines von beiden (dann ein selbstsigniertes Zertifikat im Datenverzeichnis).</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="173"/>
        <source>Make a new token; clients with the old one are refused from the next start of Playdeck on.</source>
        <translation>Ein neues Token erzeugen; Clients mit dem alten werden ab dem nächsten Start von Playdeck abgewiesen.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="192"/>
        <source>Serve AWX&apos;s websocket at ws://ADDRESS:PORT/websocket/ (ADDRESS 127.0.0.1 unless given); clients show the token of `playdeck websocket-token`.</source>
        <translation>Den Websocket von AWX unter ws://ADRESSE:PORT/websocket/ anbieten (ADRESSE 127.0.0.1, wenn nicht angegeben); Clients zeigen das Token von `playdeck websocket-token` vor.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="198"/>
        <source>Serve wss:// (TLS) with a self-signed certificate kept in the data directory; its SHA-256 fingerprint is printed.</source>
        <translation>wss:// (TLS) mit einem selbstsignierten Zertifikat aus dem Datenverzeichnis anbieten; sein SHA-256-Fingerabdruck wird ausgegeben.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="201"/>
        <source>Serve wss:// with this PEM certificate (chain).</source>
        <translation>wss:// mit diesem PEM-Zertifikat (samt Kette) anbieten.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="204"/>
        <source>The certificate&apos;s unencrypted PEM private key.</source>
        <translation>Der unverschlüsselte private PEM-Schlüssel des Zertifikats.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="214"/>
        <source>--tls, --tls-certificate and --tls-key go with --websocket.</source>
        <translation>--tls, --tls-certificate und --tls-key gehören zu --websocket.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="252"/>
        <source>How many jobs (default 50).</source>
        <translation>Wie viele Jobs (Standard 50).</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="276"/>
        <location filename="../app/Commands.cpp" line="290"/>
        <location filename="../app/Commands.cpp" line="306"/>
        <location filename="../app/Commands.cpp" line="326"/>
        <source>Job id.</source>
        <translation>Job-ID.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="292"/>
        <source>One JSON object per line (the default).</source>
        <translation>Ein JSON-Objekt pro Zeile (Standard).</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="328"/>
        <source>Only on the hosts that failed or were unreachable.</source>
        <translation>Nur auf den Hosts, die fehlgeschlagen oder unerreichbar waren.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="330"/>
        <source>Exactly as it ran: the same project revision, inventory snapshot and variables, whatever changed since.</source>
        <translation>Exakt wie gelaufen: dieselbe Projektrevision, derselbe Inventar-Snapshot und dieselben Variablen, egal was sich seitdem geändert hat.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="333"/>
        <source>Print the job&apos;s output as it runs.</source>
        <translation>Die Ausgabe des Jobs während der Ausführung anzeigen.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="341"/>
        <source>Choose one of --failed-hosts and --exact.</source>
        <translation>Nur eines von --failed-hosts und --exact wählen.</translation>
    </message>
    <message>
        <location filename="../app/ResourceCommands.cpp" line="87"/>
        <location filename="../app/ResourceCommands.cpp" line="224"/>
        <source>Print JSON.</source>
        <translation>JSON ausgeben.</translation>
    </message>
    <message>
        <location filename="../app/ResourceCommands.cpp" line="89"/>
        <source>Remove hosts and groups that are not in the file.</source>
        <translation>Hosts und Gruppen entfernen, die nicht in der Datei stehen.</translation>
    </message>
    <message>
        <location filename="../app/ResourceCommands.cpp" line="91"/>
        <source>Replace variables instead of merging them.</source>
        <translation>Variablen ersetzen statt zusammenführen.</translation>
    </message>
    <message>
        <location filename="../app/ResourceCommands.cpp" line="130"/>
        <source>Imported into &quot;%1&quot;: %2 hosts added, %3 updated, %4 removed; %5 groups added, %6 updated, %7 removed.</source>
        <translation>Importiert in &quot;%1&quot;: %2 Hosts hinzugefügt, %3 aktualisiert, %4 entfernt; %5 Gruppen hinzugefügt, %6 aktualisiert, %7 entfernt.</translation>
    </message>
    <message>
        <location filename="../app/ResourceCommands.cpp" line="189"/>
        <location filename="../app/ResourceCommands.cpp" line="200"/>
        <source>Stream the update&apos;s output until it ends.</source>
        <translation>Die Ausgabe der Aktualisierung bis zu ihrem Ende anzeigen.</translation>
    </message>
    <message>
        <location filename="../app/ResourceCommands.cpp" line="217"/>
        <source>usage: playdeck %1 list|show|create|update|copy|delete … (--help after the action lists its options)</source>
        <translation>Aufruf: playdeck %1 list|show|create|update|copy|delete … (--help nach der Aktion zeigt ihre Optionen)</translation>
    </message>
    <message>
        <location filename="../app/ResourceCommands.cpp" line="238"/>
        <source>The inventory.</source>
        <translation>Das Inventar.</translation>
    </message>
    <message>
        <location filename="../app/ResourceCommands.cpp" line="261"/>
        <source>%1: asked at the terminal.</source>
        <translation>%1: wird am Terminal abgefragt.</translation>
    </message>
    <message>
        <location filename="../app/ResourceCommands.cpp" line="264"/>
        <source>%1: read from FILE (- for standard input).</source>
        <translation>%1: wird aus FILE gelesen (- für die Standardeingabe).</translation>
    </message>
    <message>
        <location filename="../app/ResourceCommands.cpp" line="268"/>
        <source>%1: asked at each launch.</source>
        <translation>%1: wird bei jedem Start abgefragt.</translation>
    </message>
    <message>
        <location filename="../app/ResourceCommands.cpp" line="285"/>
        <source>usage: playdeck %1 copy NAME [NEW_NAME]</source>
        <translation>Aufruf: playdeck %1 copy NAME [NEW_NAME]</translation>
    </message>
    <message>
        <location filename="../app/ResourceCommands.cpp" line="306"/>
        <source>Give %1 one way: --%1, --%1_file or --%1_ask.</source>
        <translation>%1 nur auf eine Art angeben: --%1, --%1_file oder --%1_ask.</translation>
    </message>
</context>
<context>
    <name>playdeck::CredentialInputsEditor</name>
    <message>
        <location filename="../ui/CredentialInputsEditor.cpp" line="40"/>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location filename="../ui/CredentialInputsEditor.cpp" line="46"/>
        <source>Stored in the keychain; paste a key to replace it</source>
        <translation>Im Schlüsselbund gespeichert; zum Ersetzen einen Schlüssel einfügen</translation>
    </message>
    <message>
        <location filename="../ui/CredentialInputsEditor.cpp" line="47"/>
        <source>-----BEGIN OPENSSH PRIVATE KEY-----</source>
        <translation>-----BEGIN OPENSSH PRIVATE KEY-----</translation>
    </message>
    <message>
        <location filename="../ui/CredentialInputsEditor.cpp" line="56"/>
        <source>Stored in the keychain; type to replace it</source>
        <translation>Im Schlüsselbund gespeichert; zum Ersetzen neu eingeben</translation>
    </message>
    <message>
        <location filename="../ui/CredentialInputsEditor.cpp" line="69"/>
        <source>Ask at launch</source>
        <translation>Beim Start abfragen</translation>
    </message>
    <message>
        <location filename="../ui/CredentialInputsEditor.cpp" line="71"/>
        <source>Ask for %1 at launch</source>
        <translation>%1 beim Start abfragen</translation>
    </message>
</context>
<context>
    <name>playdeck::DashboardView</name>
    <message>
        <location filename="../ui/DashboardView.cpp" line="81"/>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="87"/>
        <source>Getting started</source>
        <translation>Erste Schritte</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="100"/>
        <source>Dashboard error</source>
        <translation>Dashboard-Fehler</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="111"/>
        <source>Success per template, last %1 days</source>
        <translation>Erfolg pro Vorlage, letzte %1 Tage</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="116"/>
        <source>Success per template</source>
        <translation>Erfolg pro Vorlage</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="126"/>
        <source>Failed hosts, last %1 hours</source>
        <translation>Fehlgeschlagene Hosts, letzte %1 Stunden</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="127"/>
        <source>No host failed or was unreachable.</source>
        <translation>Kein Host ist fehlgeschlagen oder war unerreichbar.</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="129"/>
        <source>No failed hosts</source>
        <translation>Keine fehlgeschlagenen Hosts</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="134"/>
        <source>Failed hosts</source>
        <translation>Fehlgeschlagene Hosts</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="135"/>
        <source>Activate a row to open its job.</source>
        <translation>Eine Zeile aktivieren, um ihren Job zu öffnen.</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="180"/>
        <source>Recent runs</source>
        <translation>Letzte Läufe</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="184"/>
        <source>Period</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="186"/>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="186"/>
        <source>Last %1 days</source>
        <translation>Letzte %1 Tage</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="236"/>
        <source>Runs per day by status</source>
        <translation>Läufe pro Tag nach Status</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="272"/>
        <source>The dashboard could not be read: %1</source>
        <translation>Das Dashboard konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="299"/>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="301"/>
        <source>%1 %2</source>
        <comment>a count, then a status</comment>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="302"/>
        <source>%1 runs %2</source>
        <comment>a count, then a status</comment>
        <translation>%1 Läufe %2</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="303"/>
        <source>Pending, waiting or running now</source>
        <translation>Gerade ausstehend, wartend oder laufend</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="303"/>
        <source>Show these runs</source>
        <translation>Diese Läufe anzeigen</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="336"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="337"/>
        <source>no runs</source>
        <translation>keine Läufe</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="357"/>
        <source>(done)</source>
        <translation>(erledigt)</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="361"/>
        <source>Run a playbook of your own in three steps</source>
        <translation>Ihr eigenes Playbook in drei Schritten ausführen</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="362"/>
        <source>Add a project</source>
        <translation>Projekt hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="362"/>
        <source>the git repository or directory with your playbooks</source>
        <translation>das Git-Repository oder Verzeichnis mit Ihren Playbooks</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="364"/>
        <source>Add an inventory</source>
        <translation>Inventar hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="364"/>
        <source>the hosts to run them on</source>
        <translation>die Hosts, auf denen sie laufen sollen</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="365"/>
        <source>Add a job template</source>
        <translation>Job-Vorlage hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="366"/>
        <source>a playbook of the project on the inventory, ready to launch</source>
        <translation>ein Playbook des Projekts auf dem Inventar, startbereit</translation>
    </message>
    <message>
        <location filename="../ui/DashboardView.cpp" line="367"/>
        <source>Until then, the Demo Job Template shows what a run looks like.</source>
        <translation>Bis dahin zeigt die Vorlage &quot;Demo Job Template&quot;, wie ein Lauf aussieht.</translation>
    </message>
</context>
<context>
    <name>playdeck::DesktopNotifier</name>
    <message>
        <location filename="../ui/DesktopNotifier.cpp" line="45"/>
        <source>%1 #%2: %3</source>
        <translation>%1 #%2: %3</translation>
    </message>
    <message>
        <location filename="../ui/DesktopNotifier.cpp" line="47"/>
        <source>Hosts changed: %1, failed: %2.</source>
        <translation>Hosts geändert: %1, fehlgeschlagen: %2.</translation>
    </message>
</context>
<context>
    <name>playdeck::Dispatcher</name>
    <message>
        <location filename="../engine/dispatch/Dispatcher.cpp" line="101"/>
        <source>Task was marked as running but was not present in the job queue, so it has been marked as failed.</source>
        <translation>Der Job war als laufend markiert, stand aber in keiner Warteschlange und wurde daher als fehlgeschlagen markiert.</translation>
    </message>
</context>
<context>
    <name>playdeck::EmbeddedCluster</name>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="135"/>
        <source>PostgreSQL server binaries were not found under /usr/lib/postgresql. Install them with: sudo apt-get install postgresql (or set PLAYDECK_PG_BINDIR).</source>
        <translation>Die Programmdateien des PostgreSQL-Servers wurden unter /usr/lib/postgresql nicht gefunden. Installation mit: sudo apt-get install postgresql (oder PLAYDECK_PG_BINDIR setzen).</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="141"/>
        <source>Playdeck runs as root, so its database server must run as the &apos;postgres&apos; system user, which does not exist. Install the postgresql package.</source>
        <translation>Playdeck läuft als root, daher muss sein Datenbankserver als Systembenutzer &apos;postgres&apos; laufen, den es aber nicht gibt. Bitte das Paket postgresql installieren.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="228"/>
        <source>Cannot lock %1: %2</source>
        <translation>%1 kann nicht gesperrt werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="170"/>
        <source>Cannot create %1: %2</source>
        <translation>%1 kann nicht angelegt werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="106"/>
        <source>The data directory %1 cannot be created or written. Choose another one with --data-dir or PLAYDECK_DATA_DIR.</source>
        <translation>Das Datenverzeichnis %1 kann nicht angelegt oder beschrieben werden. Mit --data-dir oder PLAYDECK_DATA_DIR ein anderes wählen.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="112"/>
        <source>Cannot create the directory %1 for the database.</source>
        <translation>Das Verzeichnis %1 für die Datenbank kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="116"/>
        <source>Cannot hand %1 to the postgres user: %2</source>
        <translation>%1 kann nicht an den Benutzer postgres übergeben werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="122"/>
        <source>The directory %1 is not a private directory of this user; remove it or set XDG_RUNTIME_DIR.</source>
        <translation>Das Verzeichnis %1 ist kein privates Verzeichnis dieses Benutzers; es entfernen oder XDG_RUNTIME_DIR setzen.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="159"/>
        <source>Cannot open %1: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="231"/>
        <source>Another process has held %1 for %2 s without letting go. If a Playdeck process is stuck (see `fuser -v %1`), end it, and start Playdeck again.</source>
        <translation>Ein anderer Prozess hält %1 seit %2 s, ohne es freizugeben. Hängt ein Playdeck-Prozess (siehe `fuser -v %1`), diesen beenden und Playdeck neu starten.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="267"/>
        <source>Cannot run %1: %2</source>
        <translation>%1 kann nicht ausgeführt werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="271"/>
        <source>%1 did not finish in time.</source>
        <translation>%1 wurde nicht rechtzeitig fertig.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="274"/>
        <source>%1 failed (exit code %2):
%3</source>
        <translation>%1 fehlgeschlagen (Exit-Code %2):
%3</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="297"/>
        <source>playdeck-helper, which runs Playdeck&apos;s database server, was not found next to playdeck. Reinstall Playdeck or set PLAYDECK_HELPER.</source>
        <translation>playdeck-helper, der den Datenbankserver von Playdeck ausführt, wurde nicht neben playdeck gefunden. Playdeck neu installieren oder PLAYDECK_HELPER setzen.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="328"/>
        <source>Cannot start the database supervisor %1: %2</source>
        <translation>Der Datenbank-Supervisor %1 kann nicht gestartet werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="343"/>
        <source>The PostgreSQL server did not become ready within %1 s. The end of its log (%2):
%3</source>
        <translation>Der PostgreSQL-Server war nicht innerhalb von %1 s bereit. Das Ende seines Protokolls (%2):
%3</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="339"/>
        <source>The PostgreSQL server did not start. The end of its log (%1):
%2</source>
        <translation>Der PostgreSQL-Server ist nicht gestartet. Das Ende seines Protokolls (%1):
%2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="364"/>
        <source>Cannot connect to the private PostgreSQL server: %1</source>
        <translation>Keine Verbindung zum privaten PostgreSQL-Server möglich: %1</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="376"/>
        <source>Cannot create the playdeck database: %1</source>
        <translation>Die Datenbank playdeck kann nicht angelegt werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="388"/>
        <source>(no server log)</source>
        <translation>(kein Serverprotokoll)</translation>
    </message>
</context>
<context>
    <name>playdeck::Engine</name>
    <message>
        <location filename="../engine/Engine.cpp" line="144"/>
        <source>Starting the database…</source>
        <translation>Die Datenbank wird gestartet…</translation>
    </message>
    <message>
        <location filename="../engine/Engine.cpp" line="148"/>
        <source>The data directory %1 cannot be created. Choose another one with --data-dir or PLAYDECK_DATA_DIR.</source>
        <translation>Das Datenverzeichnis %1 kann nicht angelegt werden. Mit --data-dir oder PLAYDECK_DATA_DIR ein anderes wählen.</translation>
    </message>
    <message>
        <location filename="../engine/Engine.cpp" line="374"/>
        <source>Stopping…</source>
        <translation>Wird beendet…</translation>
    </message>
</context>
<context>
    <name>playdeck::EventSocketServer</name>
    <message>
        <location filename="../engine/api/EventSocketServer.cpp" line="58"/>
        <source>The websocket cannot serve wss://: %1</source>
        <translation>Der Websocket kann wss:// nicht anbieten: %1</translation>
    </message>
    <message>
        <location filename="../engine/api/EventSocketServer.cpp" line="86"/>
        <source>The websocket server cannot listen on %1 port %2: %3</source>
        <translation>Der Websocket-Server kann nicht auf %1, Port %2 lauschen: %3</translation>
    </message>
    <message>
        <location filename="../engine/api/EventSocketServer.cpp" line="140"/>
        <source>no such endpoint; use /websocket/</source>
        <translation>diesen Endpunkt gibt es nicht; bitte /websocket/ verwenden</translation>
    </message>
</context>
<context>
    <name>playdeck::EventTreeModel</name>
    <message>
        <location filename="../ui/EventTreeModel.cpp" line="217"/>
        <source>Play: %1</source>
        <translation>Play: %1</translation>
    </message>
    <message>
        <location filename="../ui/EventTreeModel.cpp" line="220"/>
        <source>Handler: %1</source>
        <translation>Handler: %1</translation>
    </message>
    <message>
        <location filename="../ui/EventTreeModel.cpp" line="221"/>
        <source>Task: %1</source>
        <translation>Task: %1</translation>
    </message>
    <message>
        <location filename="../ui/EventTreeModel.cpp" line="227"/>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <location filename="../ui/EventTreeModel.cpp" line="230"/>
        <source>changed</source>
        <translation>geändert</translation>
    </message>
    <message>
        <location filename="../ui/EventTreeModel.cpp" line="233"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/EventTreeModel.cpp" line="236"/>
        <source>unreachable</source>
        <translation>nicht erreichbar</translation>
    </message>
    <message>
        <location filename="../ui/EventTreeModel.cpp" line="239"/>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <location filename="../ui/EventTreeModel.cpp" line="245"/>
        <source>%1 (item=%2)</source>
        <translation>%1 (item=%2)</translation>
    </message>
    <message>
        <location filename="../ui/EventTreeModel.cpp" line="246"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../ui/EventTreeModel.cpp" line="254"/>
        <source>%1 (the first %2 shown)</source>
        <translation>%1 (die ersten %2 gezeigt)</translation>
    </message>
    <message>
        <location filename="../ui/EventTreeModel.cpp" line="267"/>
        <source>The rest are in the output: filter it by host or outcome</source>
        <translation>Der Rest steht in der Ausgabe: filtern Sie sie nach Host oder Ergebnis</translation>
    </message>
    <message>
        <location filename="../ui/EventTreeModel.cpp" line="268"/>
        <source>Event %1, line %2</source>
        <translation>Ereignis %1, Zeile %2</translation>
    </message>
</context>
<context>
    <name>playdeck::FailedHostsModel</name>
    <message>
        <location filename="../ui/DashboardModels.cpp" line="64"/>
        <source>Open job %1</source>
        <translation>Job %1 öffnen</translation>
    </message>
    <message>
        <location filename="../ui/DashboardModels.cpp" line="83"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location filename="../ui/DashboardModels.cpp" line="85"/>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <location filename="../ui/DashboardModels.cpp" line="87"/>
        <source>Template</source>
        <translation>Vorlage</translation>
    </message>
    <message>
        <location filename="../ui/DashboardModels.cpp" line="89"/>
        <source>Finished</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <location filename="../ui/DashboardModels.cpp" line="91"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/DashboardModels.cpp" line="93"/>
        <source>Unreachable</source>
        <translation>Unerreichbar</translation>
    </message>
</context>
<context>
    <name>playdeck::HostRecapModel</name>
    <message>
        <location filename="../ui/HostRecapModel.cpp" line="78"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location filename="../ui/HostRecapModel.cpp" line="80"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../ui/HostRecapModel.cpp" line="82"/>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <location filename="../ui/HostRecapModel.cpp" line="84"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/HostRecapModel.cpp" line="86"/>
        <source>Unreachable</source>
        <translation>Unerreichbar</translation>
    </message>
    <message>
        <location filename="../ui/HostRecapModel.cpp" line="88"/>
        <source>Skipped</source>
        <translation>Übersprungen</translation>
    </message>
    <message>
        <location filename="../ui/HostRecapModel.cpp" line="90"/>
        <source>Rescued</source>
        <translation>Gerettet</translation>
    </message>
    <message>
        <location filename="../ui/HostRecapModel.cpp" line="92"/>
        <source>Ignored</source>
        <translation>Ignoriert</translation>
    </message>
</context>
<context>
    <name>playdeck::InventoryContentEditor</name>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="49"/>
        <source>Hosts and Groups of %1</source>
        <translation>Hosts und Gruppen von %1</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="54"/>
        <source>Hosts and groups</source>
        <translation>Hosts und Gruppen</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="55"/>
        <source>Add &amp;Host</source>
        <translation>&amp;Host hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="57"/>
        <source>Add &amp;Group</source>
        <translation>&amp;Gruppe hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="59"/>
        <source>&amp;Remove</source>
        <translation>Ent&amp;fernen</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="76"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="77"/>
        <source>&amp;Enabled: jobs run on this host</source>
        <translation>&amp;Aktiviert: Jobs laufen auf diesem Host</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="83"/>
        <source>YAML or JSON, for example:
ansible_host: 10.0.0.5</source>
        <translation>YAML oder JSON, zum Beispiel:
ansible_host: 10.0.0.5</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="84"/>
        <source>Variables</source>
        <translation>Variablen</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="92"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="94"/>
        <source>&amp;Variables:</source>
        <translation>&amp;Variablen:</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="158"/>
        <source>Hosts (%1)</source>
        <translation>Hosts (%1)</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="164"/>
        <source>%1 (disabled)</source>
        <translation>%1 (deaktiviert)</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="166"/>
        <source>Groups (%1)</source>
        <translation>Gruppen (%1)</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="87"/>
        <location filename="../ui/InventoryContentEditor.cpp" line="222"/>
        <source>C&amp;hild groups:</source>
        <translation>&amp;Untergruppen:</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="231"/>
        <source>G&amp;roups:</source>
        <translation>G&amp;ruppen:</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="279"/>
        <source>The variables of %1 are not YAML or JSON and were not kept: %2</source>
        <translation>Die Variablen von %1 sind kein YAML oder JSON und wurden nicht übernommen: %2</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="352"/>
        <source>The variables of %1 are not YAML or JSON: %2</source>
        <translation>Die Variablen von %1 sind kein YAML oder JSON: %2</translation>
    </message>
    <message>
        <location filename="../ui/InventoryContentEditor.cpp" line="365"/>
        <source>Saved the hosts and groups of &quot;%1&quot;: %2 hosts added, %3 removed; %4 groups added, %5 removed.</source>
        <translation>Hosts und Gruppen von &quot;%1&quot; gespeichert: %2 Hosts hinzugefügt, %3 entfernt; %4 Gruppen hinzugefügt, %5 entfernt.</translation>
    </message>
</context>
<context>
    <name>playdeck::InventoryReader</name>
    <message>
        <location filename="../engine/inventory/InventoryReader.cpp" line="31"/>
        <source>ansible-inventory printed more than %1 MB for %2; it was stopped.</source>
        <translation>ansible-inventory hat für %2 mehr als %1 MB ausgegeben und wurde angehalten.</translation>
    </message>
    <message>
        <location filename="../engine/inventory/InventoryReader.cpp" line="44"/>
        <source>Cannot run %1: %2. Is ansible-core installed?</source>
        <translation>%1 kann nicht ausgeführt werden: %2. Ist ansible-core installiert?</translation>
    </message>
    <message>
        <location filename="../engine/inventory/InventoryReader.cpp" line="52"/>
        <source>Reading the inventory %1 took longer than %2 s and was stopped.</source>
        <translation>Das Lesen des Inventars %1 hat länger als %2 s gedauert und wurde abgebrochen.</translation>
    </message>
    <message>
        <location filename="../engine/inventory/InventoryReader.cpp" line="57"/>
        <source>exit code %1</source>
        <translation>Exit-Code %1</translation>
    </message>
    <message>
        <location filename="../engine/inventory/InventoryReader.cpp" line="58"/>
        <source>ansible-inventory could not read %1: %2</source>
        <translation>ansible-inventory konnte %1 nicht lesen: %2</translation>
    </message>
</context>
<context>
    <name>playdeck::JobDetailsPanel</name>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="48"/>
        <source>Template:</source>
        <translation>Vorlage:</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="49"/>
        <source>Launched:</source>
        <translation>Startart:</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="50"/>
        <source>Project:</source>
        <translation>Projekt:</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="51"/>
        <source>Revision:</source>
        <translation>Revision:</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="52"/>
        <source>Playbook:</source>
        <translation>Playbook:</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="53"/>
        <source>Inventory:</source>
        <translation>Inventar:</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="54"/>
        <source>Credentials:</source>
        <translation>Zugangsdaten:</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="55"/>
        <source>Limit:</source>
        <translation>Eingrenzung:</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="56"/>
        <source>Verbosity:</source>
        <translation>Ausführlichkeit:</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="57"/>
        <source>Job type:</source>
        <translation>Job-Typ:</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="58"/>
        <source>Tags:</source>
        <translation>Tags:</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="59"/>
        <source>Skip tags:</source>
        <translation>Tags überspringen:</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="60"/>
        <source>Forks:</source>
        <translation>Forks:</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="61"/>
        <source>Diff mode:</source>
        <translation>Diff-Modus:</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="67"/>
        <source>Variables the job ran with</source>
        <translation>Variablen, mit denen der Job lief</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="68"/>
        <source>Variables:</source>
        <translation>Variablen:</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="83"/>
        <location filename="../ui/JobDetailsPanel.cpp" line="158"/>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="99"/>
        <source>#%1</source>
        <translation>#%1</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="126"/>
        <source>%1: job %2 replayed exactly as it ran</source>
        <translation>%1: Job %2 exakt wiederholt</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="128"/>
        <source>%1 of job %2</source>
        <translation>%1 von Job %2</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="138"/>
        <source>all hosts</source>
        <translation>alle Hosts</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="140"/>
        <source>Check</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="140"/>
        <source>Run</source>
        <translation>Ausführen</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="143"/>
        <source>ansible&apos;s default</source>
        <translation>Standard von ansible</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="144"/>
        <source>on</source>
        <translation>an</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="144"/>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="149"/>
        <source># The template&apos;s variables</source>
        <translation># Die Variablen der Vorlage</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="151"/>
        <source># Given at launch</source>
        <translation># Beim Start angegeben</translation>
    </message>
    <message>
        <location filename="../ui/JobDetailsPanel.cpp" line="156"/>
        <source># Survey and playbook answers</source>
        <translation># Antworten auf Umfrage und Playbook</translation>
    </message>
</context>
<context>
    <name>playdeck::JobFilterBar</name>
    <message>
        <location filename="../ui/JobFilterBar.cpp" line="20"/>
        <source>All statuses</source>
        <translation>Alle Status</translation>
    </message>
    <message>
        <location filename="../ui/JobFilterBar.cpp" line="21"/>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <location filename="../ui/JobFilterBar.cpp" line="37"/>
        <source>Jobs of status</source>
        <translation>Jobs mit Status</translation>
    </message>
    <message>
        <location filename="../ui/JobFilterBar.cpp" line="43"/>
        <source>Jobs of template</source>
        <translation>Jobs der Vorlage</translation>
    </message>
    <message>
        <location filename="../ui/JobFilterBar.cpp" line="44"/>
        <source>All templates</source>
        <translation>Alle Vorlagen</translation>
    </message>
    <message>
        <location filename="../ui/JobFilterBar.cpp" line="49"/>
        <source>Search jobs</source>
        <translation>Jobs suchen</translation>
    </message>
    <message>
        <location filename="../ui/JobFilterBar.cpp" line="50"/>
        <source>Search jobs by name, explanation or id</source>
        <translation>Jobs nach Name, Erklärung oder ID suchen</translation>
    </message>
    <message>
        <location filename="../ui/JobFilterBar.cpp" line="55"/>
        <source>Previous page of jobs</source>
        <translation>Vorherige Seite der Jobs</translation>
    </message>
    <message>
        <location filename="../ui/JobFilterBar.cpp" line="56"/>
        <source>Previous page</source>
        <translation>Vorherige Seite</translation>
    </message>
    <message>
        <location filename="../ui/JobFilterBar.cpp" line="60"/>
        <source>Next page of jobs</source>
        <translation>Nächste Seite der Jobs</translation>
    </message>
    <message>
        <location filename="../ui/JobFilterBar.cpp" line="61"/>
        <source>Next page</source>
        <translation>Nächste Seite</translation>
    </message>
    <message>
        <location filename="../ui/JobFilterBar.cpp" line="122"/>
        <source>no jobs</source>
        <translation>keine Jobs</translation>
    </message>
    <message>
        <location filename="../ui/JobFilterBar.cpp" line="123"/>
        <source>%1–%2 of %3</source>
        <translation>%1–%2 von %3</translation>
    </message>
</context>
<context>
    <name>playdeck::JobFollower</name>
    <message>
        <location filename="../app/JobFollower.cpp" line="60"/>
        <source>1 event of this job is not stored: %1</source>
        <translation>1 Ereignis dieses Jobs ist nicht gespeichert: %1</translation>
    </message>
    <message>
        <location filename="../app/JobFollower.cpp" line="61"/>
        <source>%1 events of this job are not stored: %2</source>
        <translation>%1 Ereignisse dieses Jobs sind nicht gespeichert: %2</translation>
    </message>
</context>
<context>
    <name>playdeck::JobListModel</name>
    <message>
        <location filename="../ui/JobListModel.cpp" line="85"/>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../ui/JobListModel.cpp" line="87"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../ui/JobListModel.cpp" line="89"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../ui/JobListModel.cpp" line="91"/>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <location filename="../ui/JobListModel.cpp" line="93"/>
        <source>Elapsed</source>
        <translation>Dauer</translation>
    </message>
</context>
<context>
    <name>playdeck::JobOutputPane</name>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="42"/>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="45"/>
        <source>Follo&amp;w</source>
        <translation>&amp;Mitverfolgen</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="47"/>
        <source>Keep the newest output in view (End)</source>
        <translation>Die neueste Ausgabe im Blick behalten (Ende)</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="54"/>
        <source>Plays, tasks and host results</source>
        <translation>Plays, Tasks und Host-Ergebnisse</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="70"/>
        <source>The plays and tasks could not be loaded: %1</source>
        <translation>Die Plays und Tasks konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="73"/>
        <source>Tas&amp;ks</source>
        <translation>Tas&amp;ks</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="75"/>
        <source>Show the plays, tasks and host results beside the output</source>
        <translation>Die Plays, Tasks und Host-Ergebnisse neben der Ausgabe zeigen</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="79"/>
        <source>Wrap lines</source>
        <translation>Zeilen umbrechen</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="85"/>
        <source>Go to Line…</source>
        <translation>Gehe zu Zeile…</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="86"/>
        <source>Jump to a line of the output (Ctrl+G)</source>
        <translation>Zu einer Zeile der Ausgabe springen (Strg+G)</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="94"/>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="95"/>
        <source>Save the whole output to a file</source>
        <translation>Die ganze Ausgabe in eine Datei speichern</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="98"/>
        <source>Plain Text…</source>
        <translation>Reiner Text…</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="100"/>
        <source>With ANSI Colours…</source>
        <translation>Mit ANSI-Farben…</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="102"/>
        <source>JSON Lines with Timestamps…</source>
        <translation>JSON-Zeilen mit Zeitstempeln…</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="109"/>
        <source>How long ago the newest event shown was made, and how many events arrive a second</source>
        <translation>Wie alt das neueste angezeigte Ereignis ist und wie viele Ereignisse pro Sekunde ankommen</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="152"/>
        <source>The event&apos;s data</source>
        <translation>Die Daten des Ereignisses</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="154"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="155"/>
        <source>Close the event</source>
        <translation>Ereignis schließen</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="171"/>
        <source>Copied 1 line.</source>
        <translation>1 Zeile kopiert.</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="171"/>
        <source>Copied %1 lines.</source>
        <translation>%1 Zeilen kopiert.</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="190"/>
        <source>The output could not be loaded: %1</source>
        <translation>Die Ausgabe konnte nicht geladen werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="257"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="257"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="258"/>
        <source>Lag %1 · %2 events/s</source>
        <translation>Verzug %1 · %2 Ereignisse/s</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="297"/>
        <source>Not found yet</source>
        <translation>Noch nicht gefunden</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="297"/>
        <source>Not found</source>
        <translation>Nicht gefunden</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="299"/>
        <source>1 match</source>
        <translation>1 Treffer</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="299"/>
        <source>%1 matches</source>
        <translation>%1 Treffer</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="301"/>
        <source>%1, searching…</source>
        <translation>%1, suche…</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="329"/>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="330"/>
        <source>%1 of %2, searching…</source>
        <translation>%1 von %2, suche…</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="347"/>
        <source>Go to Line</source>
        <translation>Gehe zu Zeile</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="347"/>
        <source>Line (1 to %1):</source>
        <translation>Zeile (1 bis %1):</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="359"/>
        <source>Text (*.txt)</source>
        <translation>Text (*.txt)</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="363"/>
        <source>Text with ANSI colours (*.txt *.ansi)</source>
        <translation>Text mit ANSI-Farben (*.txt *.ansi)</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="367"/>
        <source>JSON lines (*.jsonl *.json)</source>
        <translation>JSON-Zeilen (*.jsonl *.json)</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="370"/>
        <source>Save the Output</source>
        <translation>Ausgabe speichern</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="376"/>
        <source>Saving %1…</source>
        <translation>Speichere %1…</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="383"/>
        <source>Saved to %1.</source>
        <translation>Gespeichert in %1.</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="422"/>
        <source>The results of %1 could not be loaded: %2</source>
        <translation>Die Ergebnisse von %1 konnten nicht geladen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="426"/>
        <source>%1 has no results in this job.</source>
        <translation>%1 hat in diesem Job keine Ergebnisse.</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="445"/>
        <source>Event %1 is not stored.</source>
        <translation>Ereignis %1 ist nicht gespeichert.</translation>
    </message>
    <message>
        <location filename="../ui/JobOutputPane.cpp" line="450"/>
        <source>Event %1</source>
        <translation>Ereignis %1</translation>
    </message>
</context>
<context>
    <name>playdeck::JobView</name>
    <message>
        <location filename="../ui/JobView.cpp" line="44"/>
        <source>&amp;Cancel Job</source>
        <translation>Job &amp;abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="46"/>
        <source>Stop this job</source>
        <translation>Diesen Job anhalten</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="49"/>
        <source>&amp;Relaunch</source>
        <translation>&amp;Erneut starten</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="51"/>
        <source>Launch a new job with the same settings</source>
        <translation>Einen neuen Job mit denselben Einstellungen starten</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="57"/>
        <source>More</source>
        <translation>Mehr</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="58"/>
        <source>Other ways to relaunch</source>
        <translation>Weitere Arten, erneut zu starten</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="61"/>
        <source>Relaunch on &amp;Failed Hosts</source>
        <translation>Auf &amp;fehlgeschlagenen Hosts erneut starten</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="63"/>
        <source>Only on the hosts that failed or were unreachable</source>
        <translation>Nur auf den Hosts, die fehlgeschlagen oder unerreichbar waren</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="65"/>
        <source>Relaunch &amp;Exactly As It Ran</source>
        <translation>E&amp;xakt wiederholen</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="67"/>
        <source>The same project revision, inventory and variables, whatever changed since</source>
        <translation>Dieselbe Projektrevision, dasselbe Inventar und dieselben Variablen, egal was sich seitdem geändert hat</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="79"/>
        <source>Elapsed:</source>
        <translation>Dauer:</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="160"/>
        <source>Recap per host</source>
        <translation>Zusammenfassung pro Host</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="161"/>
        <source>Double-click a host to see its results</source>
        <translation>Doppelklicken Sie auf einen Host, um seine Ergebnisse zu sehen</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="182"/>
        <source>O&amp;utput</source>
        <translation>A&amp;usgabe</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="183"/>
        <location filename="../ui/JobView.cpp" line="389"/>
        <source>Rec&amp;ap</source>
        <translation>Zusammen&amp;fassung</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="184"/>
        <source>&amp;Details</source>
        <translation>De&amp;tails</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="208"/>
        <source>Job #%1</source>
        <translation>Job #%1</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="209"/>
        <source>%1 #%2</source>
        <translation>%1 #%2</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="237"/>
        <source>Job %1 could not be canceled: %2</source>
        <translation>Job %1 konnte nicht abgebrochen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="253"/>
        <source>Job %1 could not be relaunched: %2</source>
        <translation>Job %1 konnte nicht erneut gestartet werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="273"/>
        <source>Job %1 could not be loaded: %2</source>
        <translation>Job %1 konnte nicht geladen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="316"/>
        <source>loading…</source>
        <translation>wird geladen…</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="327"/>
        <source>Playbook: %1</source>
        <translation>Playbook: %1</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="331"/>
        <location filename="../ui/JobView.cpp" line="333"/>
        <source>Started: %1</source>
        <translation>Gestartet: %1</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="336"/>
        <location filename="../ui/JobView.cpp" line="338"/>
        <source>Finished: %1</source>
        <translation>Beendet: %1</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="341"/>
        <source>Node: %1</source>
        <translation>Knoten: %1</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="357"/>
        <source>1 event of this job is not stored: %1</source>
        <translation>1 Ereignis dieses Jobs ist nicht gespeichert: %1</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="358"/>
        <source>%1 events of this job are not stored: %2</source>
        <translation>%1 Ereignisse dieses Jobs sind nicht gespeichert: %2</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="386"/>
        <source>The recap of job %1 could not be loaded: %2</source>
        <translation>Die Zusammenfassung von Job %1 konnte nicht geladen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="390"/>
        <source>Rec&amp;ap (%1)</source>
        <translation>Zusammen&amp;fassung (%1)</translation>
    </message>
</context>
<context>
    <name>playdeck::LaunchDialog</name>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="58"/>
        <source>Launch %1</source>
        <translation>%1 starten</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="75"/>
        <location filename="../ui/LaunchDialog.cpp" line="180"/>
        <location filename="../ui/LaunchDialog.cpp" line="278"/>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="280"/>
        <source>The template&apos;s own variables. Variables entered below are merged over them.</source>
        <translation>Die Variablen der Vorlage. Die unten eingegebenen Variablen werden darübergelegt.</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="287"/>
        <source>YAML or JSON, for example:
name: value</source>
        <translation>YAML oder JSON, zum Beispiel:
name: wert</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="220"/>
        <source>all hosts</source>
        <translation>alle Hosts</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="73"/>
        <source>Runs %1 from project %2 on inventory %3.</source>
        <translation>Führt %1 aus Projekt %2 auf Inventar %3 aus.</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="84"/>
        <source>Options</source>
        <translation>Optionen</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="92"/>
        <source>Survey</source>
        <translation>Umfrage</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="109"/>
        <source>Asked by the playbook</source>
        <translation>Vom Playbook abgefragt</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="111"/>
        <source>The playbook&apos;s vars_prompt questions, asked now so that the run never stops to wait for an answer.</source>
        <translation>Die vars_prompt-Fragen des Playbooks, jetzt gestellt, damit der Lauf nie anhält, um auf eine Antwort zu warten.</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="120"/>
        <source>Passwords</source>
        <translation>Passwörter</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="139"/>
        <source>Reading what the launch needs…</source>
        <translation>Wird ermittelt, was der Start braucht…</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="182"/>
        <source>&amp;Inventory:</source>
        <translation>&amp;Inventar:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="187"/>
        <source>C&amp;redentials:</source>
        <translation>Zugangs&amp;daten:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="221"/>
        <source>A host pattern that narrows the inventory, such as webservers:!db1. Leave empty to keep the template&apos;s limit.</source>
        <translation>Ein Host-Muster, das das Inventar eingrenzt, etwa webservers:!db1. Leer lassen, um die Eingrenzung der Vorlage zu behalten.</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="228"/>
        <source>Run only the tasks with these tags (comma-separated).</source>
        <translation>Nur die Aufgaben mit diesen Tags ausführen (durch Kommas getrennt).</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="229"/>
        <source>&amp;Tags:</source>
        <translation>&amp;Tags:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="232"/>
        <source>Skip the tasks with these tags (comma-separated).</source>
        <translation>Die Aufgaben mit diesen Tags überspringen (durch Kommas getrennt).</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="233"/>
        <source>S&amp;kip tags:</source>
        <translation>Tags übers&amp;pringen:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="237"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="237"/>
        <source>Verbose</source>
        <translation>Ausführlich</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="237"/>
        <source>More Verbose</source>
        <translation>Ausführlicher</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="238"/>
        <source>Debug</source>
        <translation>Debug</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="238"/>
        <source>Connection Debug</source>
        <translation>Verbindungs-Debug</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="238"/>
        <source>WinRM Debug</source>
        <translation>WinRM-Debug</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="240"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="244"/>
        <source>Check mode (report what would change, change nothing)</source>
        <translation>Prüfmodus (zeigt, was sich ändern würde, ändert nichts)</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="248"/>
        <source>Show the &amp;differences of changed files and templates</source>
        <translation>&amp;Unterschiede geänderter Dateien und Templates anzeigen</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="256"/>
        <source>ansible&apos;s default</source>
        <translation>Standard von ansible</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="258"/>
        <source>&amp;Forks:</source>
        <translation>&amp;Forks:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="262"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="263"/>
        <source>no timeout</source>
        <translation>kein Zeitlimit</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="265"/>
        <source>Ti&amp;meout:</source>
        <translation>Zeit&amp;limit:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="268"/>
        <source>the project&apos;s branch</source>
        <translation>Branch des Projekts</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="269"/>
        <source>&amp;Branch:</source>
        <translation>&amp;Branch:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="281"/>
        <source>Template variables:</source>
        <translation>Variablen der Vorlage:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="289"/>
        <source>Extra variables</source>
        <translation>Zusätzliche Variablen</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="297"/>
        <source>E&amp;xtra variables:</source>
        <translation>&amp;Zusätzliche Variablen:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="345"/>
        <source>The playbook&apos;s questions could not be read: %1</source>
        <translation>Die Fragen des Playbooks konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="358"/>
        <source>%1 of %2:</source>
        <translation>%1 von %2:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="361"/>
        <source>Asked at each launch; kept in the keychain for a relaunch, never in the database.</source>
        <translation>Wird bei jedem Start abgefragt; für einen erneuten Start im Schlüsselbund aufbewahrt, nie in der Datenbank.</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="455"/>
        <source>This launch needs: %1.</source>
        <translation>Dieser Start braucht: %1.</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="457"/>
        <source>Some answers are not right; each says why.</source>
        <translation>Einige Antworten stimmen nicht; bei jeder steht, warum.</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="465"/>
        <source>Launching…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="224"/>
        <source>&amp;Limit:</source>
        <translation>&amp;Eingrenzung:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="242"/>
        <source>&amp;Verbosity:</source>
        <translation>&amp;Ausführlichkeit:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="144"/>
        <source>&amp;Launch</source>
        <translation>&amp;Starten</translation>
    </message>
</context>
<context>
    <name>playdeck::LocalTransport</name>
    <message>
        <location filename="../engine/runner/LocalTransport.cpp" line="71"/>
        <source>Cannot create a pipe: %1</source>
        <translation>Eine Pipe kann nicht angelegt werden: %1</translation>
    </message>
</context>
<context>
    <name>playdeck::MainWindow</name>
    <message>
        <location filename="../ui/MainWindow.cpp" line="49"/>
        <source>Playdeck</source>
        <translation>Playdeck</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="62"/>
        <source>&amp;Templates</source>
        <translation>&amp;Vorlagen</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="302"/>
        <source>&amp;Launch…</source>
        <translation>&amp;Starten…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="304"/>
        <source>Launch a job from the selected template</source>
        <translation>Einen Job aus der gewählten Vorlage starten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="80"/>
        <source>J&amp;obs</source>
        <translation>J&amp;obs</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="63"/>
        <source>&amp;Projects</source>
        <translation>&amp;Projekte</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="64"/>
        <source>&amp;Inventories</source>
        <translation>&amp;Inventare</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="65"/>
        <source>&amp;Sources</source>
        <translation>&amp;Quellen</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="66"/>
        <source>Cr&amp;edentials</source>
        <translation>&amp;Zugangsdaten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="88"/>
        <source>Recent jobs</source>
        <translation>Letzte Jobs</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="128"/>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="159"/>
        <source>Templates could not be loaded: %1</source>
        <translation>Die Vorlagen konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="162"/>
        <source>Jobs could not be loaded: %1</source>
        <translation>Die Jobs konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="169"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="204"/>
        <source>Starting the database…</source>
        <translation>Die Datenbank wird gestartet…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="213"/>
        <location filename="../ui/MainWindow.cpp" line="214"/>
        <source>Playdeck cannot start</source>
        <translation>Playdeck kann nicht starten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="217"/>
        <source>Stopping…</source>
        <translation>Wird beendet…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="255"/>
        <source>Quit Playdeck</source>
        <translation>Playdeck beenden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="256"/>
        <source>A job is running in this window.</source>
        <translation>In diesem Fenster läuft ein Job.</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="257"/>
        <source>%1 jobs are running in this window.</source>
        <translation>In diesem Fenster laufen %1 Jobs.</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="262"/>
        <source>New jobs go to the other Playdeck that takes work.</source>
        <translation>Neue Jobs übernimmt das andere Playdeck, das Arbeit annimmt.</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="263"/>
        <source>No other Playdeck takes work: new jobs wait until one does (the window, or `playdeck serve`).</source>
        <translation>Kein anderes Playdeck nimmt Arbeit an: Neue Jobs warten, bis eines das tut (das Fenster oder `playdeck serve`).</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="266"/>
        <source>Canceling stops its playbook now. Letting it finish closes the window at once; Playdeck quits when the job is done.</source>
        <translation>Abbrechen hält sein Playbook sofort an. Wenn er fertig laufen darf, schließt sich das Fenster sofort; Playdeck wird beendet, sobald der Job fertig ist.</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="268"/>
        <source>Canceling stops their playbooks now. Letting them finish closes the window at once; Playdeck quits when they are done.</source>
        <translation>Abbrechen hält ihre Playbooks sofort an. Wenn sie fertig laufen dürfen, schließt sich das Fenster sofort; Playdeck wird beendet, sobald sie fertig sind.</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="272"/>
        <source>&amp;Cancel Them and Quit</source>
        <translation>Jobs &amp;abbrechen und beenden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="272"/>
        <source>&amp;Cancel It and Quit</source>
        <translation>Job &amp;abbrechen und beenden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="275"/>
        <source>Let Them &amp;Finish, Then Quit</source>
        <translation>Jobs &amp;fertig laufen lassen, dann beenden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="275"/>
        <source>Let It &amp;Finish, Then Quit</source>
        <translation>Job &amp;fertig laufen lassen, dann beenden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="278"/>
        <source>&amp;Don&apos;t Quit</source>
        <translation>&amp;Nicht beenden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="297"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="307"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="309"/>
        <source>Stop the job shown</source>
        <translation>Den angezeigten Job anhalten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="312"/>
        <source>&amp;Relaunch</source>
        <translation>&amp;Erneut starten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="314"/>
        <source>Launch the job shown again with the same settings</source>
        <translation>Den angezeigten Job mit denselben Einstellungen erneut starten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="317"/>
        <source>Relaunch on &amp;Failed Hosts</source>
        <translation>Auf &amp;fehlgeschlagenen Hosts erneut starten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="319"/>
        <source>Launch the job shown again on the hosts that failed only</source>
        <translation>Den angezeigten Job nur auf den fehlgeschlagenen Hosts erneut starten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="324"/>
        <source>Relaunch &amp;Exactly As It Ran</source>
        <translation>E&amp;xakt wiederholen</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="326"/>
        <source>The same project revision, inventory and variables as the job shown, whatever changed since</source>
        <translation>Dieselbe Projektrevision, dasselbe Inventar und dieselben Variablen wie beim angezeigten Job, egal was sich seitdem geändert hat</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="332"/>
        <source>Close &amp;Tab</source>
        <translation>&amp;Tab schließen</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="340"/>
        <source>&amp;Find in Output…</source>
        <translation>In Ausgabe &amp;suchen…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="349"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Neu laden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="351"/>
        <source>Read the lists and the job shown again</source>
        <translation>Die Listen und den angezeigten Job neu einlesen</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="362"/>
        <source>&amp;Dashboard</source>
        <translation>&amp;Dashboard</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="366"/>
        <source>&amp;About Playdeck</source>
        <translation>&amp;Über Playdeck</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="372"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="373"/>
        <source>&amp;New</source>
        <translation>&amp;Neu</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="374"/>
        <source>&amp;Template…</source>
        <translation>&amp;Vorlage…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="375"/>
        <source>&amp;Project…</source>
        <translation>&amp;Projekt…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="376"/>
        <source>&amp;Inventory…</source>
        <translation>&amp;Inventar…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="377"/>
        <source>&amp;Credential…</source>
        <translation>&amp;Zugangsdaten…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="388"/>
        <source>&amp;Websocket Server…</source>
        <translation>&amp;Websocket-Server…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="398"/>
        <source>&amp;View</source>
        <translation>A&amp;nsicht</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="403"/>
        <source>&amp;Job</source>
        <translation>&amp;Job</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="413"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="415"/>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="424"/>
        <source>About Playdeck</source>
        <translation>Über Playdeck</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="426"/>
        <source>&lt;b&gt;Playdeck %1&lt;/b&gt;</source>
        <translation>&lt;b&gt;Playdeck %1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="427"/>
        <source>An Ansible automation controller on the desktop: AWX&apos;s engine, its projects, inventories, credentials and templates, in one window. Secrets stay in the keychain; jobs run with ansible-runner.&lt;br&gt;&lt;br&gt;Built with Qt %1.</source>
        <translation>Ein Ansible-Automatisierungscontroller für den Desktop: die Engine von AWX mit ihren Projekten, Inventaren, Zugangsdaten und Vorlagen in einem Fenster. Geheimnisse bleiben im Schlüsselbund; Jobs laufen mit ansible-runner.&lt;br&gt;&lt;br&gt;Erstellt mit Qt %1.</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="495"/>
        <source>Job %1 launched.</source>
        <translation>Job %1 gestartet.</translation>
    </message>
</context>
<context>
    <name>playdeck::NotifyBus</name>
    <message>
        <location filename="../engine/bus/NotifyBus.cpp" line="94"/>
        <source>The connection to PostgreSQL was lost; reconnecting.</source>
        <translation>Die Verbindung zu PostgreSQL ging verloren; sie wird wiederhergestellt.</translation>
    </message>
</context>
<context>
    <name>playdeck::OutputFindBar</name>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="20"/>
        <location filename="../ui/OutputFindBar.cpp" line="21"/>
        <source>Find in the output</source>
        <translation>In der Ausgabe suchen</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="23"/>
        <source>Match case</source>
        <translation>Groß/klein beachten</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="25"/>
        <source>Regular expression</source>
        <translation>Regulärer Ausdruck</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="27"/>
        <source>Only matching lines</source>
        <translation>Nur passende Zeilen</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="29"/>
        <source>Hide every other line (line numbers stay those of the whole output)</source>
        <translation>Alle anderen Zeilen ausblenden (die Zeilennummern bleiben die der ganzen Ausgabe)</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="31"/>
        <source>Previous</source>
        <translation>Vorheriger</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="32"/>
        <source>The match before (Shift+Enter)</source>
        <translation>Der Treffer davor (Umschalt+Eingabe)</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="34"/>
        <source>Next</source>
        <translation>Nächster</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="35"/>
        <source>The next match (Enter)</source>
        <translation>Der nächste Treffer (Eingabe)</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="40"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="41"/>
        <source>Close the find bar</source>
        <translation>Suchleiste schließen</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="45"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="46"/>
        <source>Only lines of hosts whose name contains</source>
        <translation>Nur Zeilen von Hosts, deren Name enthält</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="50"/>
        <source>Task</source>
        <translation>Task</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="51"/>
        <source>Only lines of tasks whose name contains</source>
        <translation>Nur Zeilen von Tasks, deren Name enthält</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="55"/>
        <source>Only lines with this result</source>
        <translation>Nur Zeilen mit diesem Ergebnis</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="56"/>
        <source>Any result</source>
        <translation>Jedes Ergebnis</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="57"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="58"/>
        <source>Unreachable</source>
        <translation>Unerreichbar</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="59"/>
        <source>Failed or unreachable</source>
        <translation>Fehlgeschlagen oder unerreichbar</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="60"/>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="61"/>
        <source>Skipped</source>
        <translation>Übersprungen</translation>
    </message>
    <message>
        <location filename="../ui/OutputFindBar.cpp" line="62"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>playdeck::ResourceActions</name>
    <message>
        <location filename="../ui/ResourceActions.cpp" line="30"/>
        <source>Saved %1 &quot;%2&quot;.</source>
        <translation>%1 &quot;%2&quot; gespeichert.</translation>
    </message>
    <message>
        <location filename="../ui/ResourceActions.cpp" line="45"/>
        <source>Cannot open it</source>
        <translation>Öffnen nicht möglich</translation>
    </message>
    <message>
        <location filename="../ui/ResourceActions.cpp" line="55"/>
        <source>Cannot copy it</source>
        <translation>Kopieren nicht möglich</translation>
    </message>
    <message>
        <location filename="../ui/ResourceActions.cpp" line="56"/>
        <source>Copied to %1 &quot;%2&quot;.</source>
        <translation>Kopiert als %1 &quot;%2&quot;.</translation>
    </message>
    <message>
        <location filename="../ui/ResourceActions.cpp" line="63"/>
        <source>Delete %1</source>
        <translation>%1 löschen</translation>
    </message>
    <message>
        <location filename="../ui/ResourceActions.cpp" line="64"/>
        <source>Delete the %1 &quot;%2&quot;? This cannot be undone.</source>
        <translation>%1 &quot;%2&quot; löschen? Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <location filename="../ui/ResourceActions.cpp" line="67"/>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <location filename="../ui/ResourceActions.cpp" line="77"/>
        <source>Cannot delete it</source>
        <translation>Löschen nicht möglich</translation>
    </message>
    <message>
        <location filename="../ui/ResourceActions.cpp" line="79"/>
        <source>Deleted, with a warning</source>
        <translation>Gelöscht, mit einer Warnung</translation>
    </message>
    <message>
        <location filename="../ui/ResourceActions.cpp" line="81"/>
        <source>Deleted %1 &quot;%2&quot;.</source>
        <translation>%1 &quot;%2&quot; gelöscht.</translation>
    </message>
</context>
<context>
    <name>playdeck::ResourceEditor</name>
    <message>
        <location filename="../ui/ResourceEditor.cpp" line="53"/>
        <source>New %1</source>
        <translation>%1 anlegen</translation>
    </message>
    <message>
        <location filename="../ui/ResourceEditor.cpp" line="54"/>
        <source>Edit %1 &quot;%2&quot;</source>
        <translation>%1 &quot;%2&quot; bearbeiten</translation>
    </message>
    <message>
        <location filename="../ui/ResourceEditor.cpp" line="148"/>
        <location filename="../ui/ResourceEditor.cpp" line="227"/>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location filename="../ui/ResourceEditor.cpp" line="154"/>
        <source>Local directory</source>
        <translation>Lokales Verzeichnis</translation>
    </message>
    <message>
        <location filename="../ui/ResourceEditor.cpp" line="183"/>
        <source>Edit S&amp;urvey…</source>
        <translation>&amp;Umfrage bearbeiten…</translation>
    </message>
    <message>
        <location filename="../ui/ResourceEditor.cpp" line="189"/>
        <source>The survey is not a JSON object; fix it or empty it first.</source>
        <translation>Die Umfrage ist kein JSON-Objekt; sie zuerst korrigieren oder leeren.</translation>
    </message>
</context>
<context>
    <name>playdeck::ResourceListModel</name>
    <message>
        <location filename="../ui/ResourceListModel.cpp" line="47"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../ui/ResourceListModel.cpp" line="49"/>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../ui/ResourceListModel.cpp" line="51"/>
        <source>Last run</source>
        <translation>Letzter Lauf</translation>
    </message>
    <message>
        <location filename="../ui/ResourceListModel.cpp" line="71"/>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <location filename="../ui/ResourceListModel.cpp" line="75"/>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
</context>
<context>
    <name>playdeck::ResourcesPane</name>
    <message>
        <location filename="../ui/ResourcesPane.cpp" line="40"/>
        <source>%1 list</source>
        <translation>%1-Liste</translation>
    </message>
    <message>
        <location filename="../ui/ResourcesPane.cpp" line="55"/>
        <source>New…</source>
        <translation>Neu…</translation>
    </message>
    <message>
        <location filename="../ui/ResourcesPane.cpp" line="57"/>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <location filename="../ui/ResourcesPane.cpp" line="59"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../ui/ResourcesPane.cpp" line="61"/>
        <source>Delete…</source>
        <translation>Löschen…</translation>
    </message>
    <message>
        <location filename="../ui/ResourcesPane.cpp" line="65"/>
        <location filename="../ui/ResourcesPane.cpp" line="68"/>
        <source>Update</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location filename="../ui/ResourcesPane.cpp" line="71"/>
        <source>Hosts…</source>
        <translation>Hosts…</translation>
    </message>
    <message>
        <location filename="../ui/ResourcesPane.cpp" line="78"/>
        <source>Import…</source>
        <translation>Importieren…</translation>
    </message>
    <message>
        <location filename="../ui/ResourcesPane.cpp" line="80"/>
        <source>New Source…</source>
        <translation>Neue Quelle…</translation>
    </message>
    <message>
        <location filename="../ui/ResourcesPane.cpp" line="84"/>
        <source>Update Sources</source>
        <translation>Quellen aktualisieren</translation>
    </message>
    <message>
        <location filename="../ui/ResourcesPane.cpp" line="138"/>
        <source>Updating project &quot;%1&quot; (job %2).</source>
        <translation>Projekt &quot;%1&quot; wird aktualisiert (Job %2).</translation>
    </message>
    <message>
        <location filename="../ui/ResourcesPane.cpp" line="152"/>
        <source>The inventory &quot;%1&quot; has no sources: add one with New Source…, or import a file.</source>
        <translation>Das Inventar &quot;%1&quot; hat keine Quellen: eine mit Neue Quelle… anlegen oder eine Datei importieren.</translation>
    </message>
    <message>
        <location filename="../ui/ResourcesPane.cpp" line="164"/>
        <source>Updating &quot;%1&quot; from its source &quot;%2&quot; (job %3).</source>
        <translation>&quot;%1&quot; wird aus der Quelle &quot;%2&quot; aktualisiert (Job %3).</translation>
    </message>
    <message>
        <location filename="../ui/ResourcesPane.cpp" line="173"/>
        <source>Import hosts and groups into &quot;%1&quot;</source>
        <translation>Hosts und Gruppen in &quot;%1&quot; importieren</translation>
    </message>
    <message>
        <location filename="../ui/ResourcesPane.cpp" line="182"/>
        <source>Imported into &quot;%1&quot;: %2 hosts added, %3 updated; %4 groups added.</source>
        <translation>Importiert in &quot;%1&quot;: %2 Hosts hinzugefügt, %3 aktualisiert; %4 Gruppen hinzugefügt.</translation>
    </message>
</context>
<context>
    <name>playdeck::RunJob</name>
    <message>
        <location filename="../engine/runner/RunJob.cpp" line="158"/>
        <source>Task was canceled due to receiving a shutdown signal.</source>
        <translation>Die Aufgabe wurde abgebrochen, weil ein Signal zum Herunterfahren empfangen wurde.</translation>
    </message>
    <message>
        <location filename="../engine/runner/RunJob.cpp" line="172"/>
        <source>This instance has no keychain to read the job&apos;s secrets from.</source>
        <translation>Diese Instanz hat keinen Schlüsselbund, aus dem sie die Geheimnisse des Jobs lesen kann.</translation>
    </message>
    <message>
        <location filename="../engine/runner/RunJob.cpp" line="189"/>
        <source>Cannot create the job directory %1.</source>
        <translation>Das Job-Verzeichnis %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../engine/runner/RunJob.cpp" line="431"/>
        <source>Cannot start the job&apos;s worker: %1. Is playdeck-helper installed next to playdeck, and ansible-runner (Debian package python3-ansible-runner)?</source>
        <translation>Der Worker des Jobs kann nicht gestartet werden: %1. Sind playdeck-helper (neben playdeck) und ansible-runner (Debian-Paket python3-ansible-runner) installiert?</translation>
    </message>
</context>
<context>
    <name>playdeck::SurveyEditor</name>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="37"/>
        <source>Survey</source>
        <translation>Umfrage</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="44"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="45"/>
        <source>D&amp;escription:</source>
        <translation>&amp;Beschreibung:</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="49"/>
        <source>Questions</source>
        <translation>Fragen</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="52"/>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="54"/>
        <source>Re&amp;move</source>
        <translation>Entfe&amp;rnen</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="55"/>
        <source>&amp;Up</source>
        <translation>Nach &amp;oben</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="56"/>
        <source>Do&amp;wn</source>
        <translation>Nach &amp;unten</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="77"/>
        <source>The extra variable the answer is passed in.</source>
        <translation>Die zusätzliche Variable, in der die Antwort übergeben wird.</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="80"/>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="81"/>
        <source>Textarea</source>
        <translation>Textbereich</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="82"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="83"/>
        <source>Integer</source>
        <translation>Ganzzahl</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="84"/>
        <source>Float</source>
        <translation>Gleitkommazahl</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="85"/>
        <source>Multiple choice (one)</source>
        <translation>Multiple Choice (eine Antwort)</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="86"/>
        <source>Multiple choice (several)</source>
        <translation>Multiple Choice (mehrere Antworten)</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="89"/>
        <source>An answer is &amp;required</source>
        <translation>Eine Antwort ist &amp;erforderlich</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="94"/>
        <source>Text: the shortest answer. Numbers: the smallest.</source>
        <translation>Text: die kürzeste Antwort. Zahlen: die kleinste.</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="95"/>
        <source>Text: the longest answer. Numbers: the largest.</source>
        <translation>Text: die längste Antwort. Zahlen: die größte.</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="98"/>
        <source>These choices</source>
        <translation>Diese Auswahlmöglichkeiten</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="99"/>
        <source>The inventory&apos;s hosts</source>
        <translation>Die Hosts des Inventars</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="100"/>
        <source>The inventory&apos;s groups</source>
        <translation>Die Gruppen des Inventars</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="104"/>
        <source>One choice per line</source>
        <translation>Eine Auswahlmöglichkeit pro Zeile</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="108"/>
        <source>A regular expression the whole answer must match (Playdeck&apos;s own; AWX has none).</source>
        <translation>Ein regulärer Ausdruck, auf den die ganze Antwort passen muss (nur in Playdeck; AWX hat keinen).</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="109"/>
        <source>&amp;Question:</source>
        <translation>&amp;Frage:</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="110"/>
        <source>De&amp;scription:</source>
        <translation>Be&amp;schreibung:</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="111"/>
        <source>&amp;Variable:</source>
        <translation>&amp;Variable:</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="112"/>
        <source>&amp;Type:</source>
        <translation>&amp;Typ:</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="114"/>
        <source>De&amp;fault:</source>
        <translation>Stan&amp;dardwert:</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="115"/>
        <source>M&amp;inimum:</source>
        <translation>M&amp;inimum:</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="116"/>
        <source>Ma&amp;ximum:</source>
        <translation>Ma&amp;ximum:</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="117"/>
        <source>&amp;Choices:</source>
        <translation>&amp;Auswahl:</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="119"/>
        <source>Re&amp;gex:</source>
        <translation>Re&amp;gex:</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="175"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/SurveyEditor.cpp" line="186"/>
        <source>Question %1</source>
        <translation>Frage %1</translation>
    </message>
</context>
<context>
    <name>playdeck::SurveyForm</name>
    <message>
        <location filename="../ui/SurveyForm.cpp" line="47"/>
        <source>Extra variable %1</source>
        <translation>Zusätzliche Variable %1</translation>
    </message>
    <message>
        <location filename="../ui/SurveyForm.cpp" line="48"/>
        <source>%1
Extra variable %2</source>
        <translation>%1
Zusätzliche Variable %2</translation>
    </message>
    <message>
        <location filename="../ui/SurveyForm.cpp" line="79"/>
        <source>(no answer)</source>
        <translation>(keine Antwort)</translation>
    </message>
    <message>
        <location filename="../ui/SurveyForm.cpp" line="113"/>
        <source>(the default, unless you type one)</source>
        <translation>(der Standardwert, sofern Sie keinen eingeben)</translation>
    </message>
    <message>
        <location filename="../ui/SurveyForm.cpp" line="121"/>
        <source>a number from %1 to %2</source>
        <translation>eine Zahl von %1 bis %2</translation>
    </message>
</context>
<context>
    <name>playdeck::TemplateListModel</name>
    <message>
        <location filename="../ui/TemplateListModel.cpp" line="33"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../ui/TemplateListModel.cpp" line="41"/>
        <source>%1, last run %2</source>
        <translation>%1, letzter Lauf %2</translation>
    </message>
    <message>
        <location filename="../ui/TemplateListModel.cpp" line="46"/>
        <source>Never run</source>
        <translation>Noch nie ausgeführt</translation>
    </message>
    <message>
        <location filename="../ui/TemplateListModel.cpp" line="46"/>
        <source>Last run: %1</source>
        <translation>Letzter Lauf: %1</translation>
    </message>
    <message>
        <location filename="../ui/TemplateListModel.cpp" line="47"/>
        <source>Playbook: %1</source>
        <translation>Playbook: %1</translation>
    </message>
    <message>
        <location filename="../ui/TemplateListModel.cpp" line="49"/>
        <source>Project: %1</source>
        <translation>Projekt: %1</translation>
    </message>
    <message>
        <location filename="../ui/TemplateListModel.cpp" line="51"/>
        <source>Inventory: %1</source>
        <translation>Inventar: %1</translation>
    </message>
    <message>
        <location filename="../ui/TemplateListModel.cpp" line="66"/>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
</context>
<context>
    <name>playdeck::TemplateSuccessModel</name>
    <message>
        <location filename="../ui/DashboardModels.cpp" line="137"/>
        <source>%1: %2 successful, %3 failed</source>
        <translation>%1: %2 erfolgreich, %3 fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/DashboardModels.cpp" line="142"/>
        <source>No runs</source>
        <translation>Keine Läufe</translation>
    </message>
    <message>
        <location filename="../ui/DashboardModels.cpp" line="156"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location filename="../ui/DashboardModels.cpp" line="193"/>
        <source>Template</source>
        <translation>Vorlage</translation>
    </message>
    <message>
        <location filename="../ui/DashboardModels.cpp" line="195"/>
        <source>Last %1 days</source>
        <translation>Letzte %1 Tage</translation>
    </message>
    <message>
        <location filename="../ui/DashboardModels.cpp" line="197"/>
        <source>Success</source>
        <translation>Erfolg</translation>
    </message>
    <message>
        <location filename="../ui/DashboardModels.cpp" line="199"/>
        <source>Successful</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <location filename="../ui/DashboardModels.cpp" line="201"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>playdeck::TemplatesPane</name>
    <message>
        <location filename="../ui/TemplatesPane.cpp" line="31"/>
        <source>Job templates</source>
        <translation>Job-Vorlagen</translation>
    </message>
    <message>
        <location filename="../ui/TemplatesPane.cpp" line="33"/>
        <source>&amp;Launch…</source>
        <translation>&amp;Starten…</translation>
    </message>
    <message>
        <location filename="../ui/TemplatesPane.cpp" line="35"/>
        <source>Launch a job from the selected template (Ctrl+L)</source>
        <translation>Einen Job aus der gewählten Vorlage starten (Strg+L)</translation>
    </message>
    <message>
        <location filename="../ui/TemplatesPane.cpp" line="49"/>
        <source>New…</source>
        <translation>Neu…</translation>
    </message>
    <message>
        <location filename="../ui/TemplatesPane.cpp" line="51"/>
        <location filename="../ui/TemplatesPane.cpp" line="69"/>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <location filename="../ui/TemplatesPane.cpp" line="53"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../ui/TemplatesPane.cpp" line="55"/>
        <source>Delete…</source>
        <translation>Löschen…</translation>
    </message>
    <message>
        <location filename="../ui/TemplatesPane.cpp" line="68"/>
        <source>Launch…</source>
        <translation>Starten…</translation>
    </message>
    <message>
        <location filename="../ui/TemplatesPane.cpp" line="74"/>
        <source>Favorite</source>
        <translation>Favorit</translation>
    </message>
    <message>
        <location filename="../ui/TemplatesPane.cpp" line="78"/>
        <source>Move to Folder…</source>
        <translation>In Ordner verschieben…</translation>
    </message>
    <message>
        <location filename="../ui/TemplatesPane.cpp" line="85"/>
        <source>Move to Folder</source>
        <translation>In Ordner verschieben</translation>
    </message>
    <message>
        <location filename="../ui/TemplatesPane.cpp" line="86"/>
        <source>The folder to file &quot;%1&quot; in, such as Web/Deploy (empty: none):</source>
        <translation>Ordner, in dem &quot;%1&quot; abgelegt wird, etwa Web/Deploy (leer: keiner):</translation>
    </message>
    <message>
        <location filename="../ui/TemplatesPane.cpp" line="138"/>
        <source>The template cannot be filed</source>
        <translation>Die Vorlage kann nicht abgelegt werden</translation>
    </message>
</context>
<context>
    <name>playdeck::WebSocketSettingsDialog</name>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="35"/>
        <source>Websocket Server</source>
        <translation>Websocket-Server</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="38"/>
        <source>Serves AWX&apos;s websocket (/websocket/), so that AWX&apos;s websocket clients can follow jobs and their events live.</source>
        <translation>Stellt den Websocket von AWX bereit (/websocket/), damit Websocket-Clients von AWX Jobs und ihre Ereignisse live verfolgen können.</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="42"/>
        <source>&amp;Serve the websocket</source>
        <translation>Websocket &amp;bereitstellen</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="48"/>
        <source>This computer only (127.0.0.1)</source>
        <translation>Nur dieser Computer (127.0.0.1)</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="49"/>
        <source>Every network (0.0.0.0)</source>
        <translation>Alle Netzwerke (0.0.0.0)</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="60"/>
        <source>Use &amp;TLS (wss://) with a self-signed certificate kept in the data directory</source>
        <translation>&amp;TLS (wss://) mit einem selbstsignierten Zertifikat aus dem Datenverzeichnis</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="63"/>
        <source>Browsers on pages served over HTTPS only open wss://. Clients must trust the certificate: compare its fingerprint below with what they are shown.</source>
        <translation>Browser öffnen auf HTTPS-Seiten nur wss://. Clients müssen dem Zertifikat vertrauen: Vergleichen Sie seinen Fingerabdruck unten mit dem, der ihnen gezeigt wird.</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="76"/>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="79"/>
        <source>Show</source>
        <translation>Zeigen</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="85"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="88"/>
        <source>&amp;New Token</source>
        <translation>&amp;Neues Token</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="90"/>
        <source>Make a new token: clients with the old one are disconnected and refused</source>
        <translation>Ein neues Token erzeugen: Clients mit dem alten werden getrennt und abgewiesen</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="97"/>
        <source>Clients show it as &quot;Authorization: Bearer TOKEN&quot;, as the password of Basic authentication, or as ?token=TOKEN in the address.</source>
        <translation>Clients zeigen es als „Authorization: Bearer TOKEN“, als Passwort der Basic-Authentifizierung oder als ?token=TOKEN in der Adresse.</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="103"/>
        <source>&amp;Listen on:</source>
        <translation>&amp;Lauschen auf:</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="104"/>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="106"/>
        <source>Token:</source>
        <translation>Token:</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="216"/>
        <source>Not serving: %1</source>
        <translation>Nicht bereitgestellt: %1</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="218"/>
        <source>Not serving.</source>
        <translation>Nicht bereitgestellt.</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="220"/>
        <source>Starting…</source>
        <translation>Startet…</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="222"/>
        <source>Serving at %1
Certificate SHA-256: %2</source>
        <translation>Bereitgestellt unter %1
Zertifikat SHA-256: %2</translation>
    </message>
    <message>
        <location filename="../ui/WebSocketSettingsDialog.cpp" line="224"/>
        <source>Serving at %1</source>
        <translation>Bereitgestellt unter %1</translation>
    </message>
</context>
</TS>
