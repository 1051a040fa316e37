@echo off
rem image-cli launcher for Windows: builds the CLI on first use, then runs it.
rem Needs Java 17+ and Maven. Set IMAGE_CLI_REBUILD=1 to rebuild after changing sources.
setlocal
set "HERE=%~dp0"
set "JAR=%HERE%app-cli\target\image-cli.jar"
if not exist "%JAR%" set IMAGE_CLI_REBUILD=1
if defined IMAGE_CLI_REBUILD (
  echo image-cli: building ^(first use or rebuild requested^)... 1>&2
  pushd "%HERE%"
  call mvn -q -B -Dstyle.color=never -DskipTests package -pl app-cli -am 1>&2
  if errorlevel 1 ( popd & exit /b 1 )
  popd
)
rem unset JAVA_OPTS: the serial collector and a 256 MiB heap keep the peak RSS under 256 MiB;
rem commands other than pull run with the C1 compiler only (faster start; see the bash launcher)
rem the command is the first word that is not one of the options allowed before it
set "CMDWORD="
call :command_word %*
if not defined JAVA_OPTS (
  if /i "%CMDWORD%"=="pull" (
    set "JAVA_OPTS=-XX:+UseSerialGC -Xmx256m"
  ) else (
    set "JAVA_OPTS=-XX:+UseSerialGC -Xmx256m -XX:TieredStopAtLevel=1"
  )
)
java %JAVA_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%

:command_word
if "%~1"=="" exit /b 0
if /i "%~1"=="-q" ( shift & goto command_word )
if /i "%~1"=="--quiet" ( shift & goto command_word )
if /i "%~1"=="--stacktrace" ( shift & goto command_word )
if /i "%~1"=="--plugin-dir" ( shift & shift & goto command_word )
if /i "%~1"=="--dir" ( shift & shift & goto command_word )
set "CMDWORD=%~1"
exit /b 0
