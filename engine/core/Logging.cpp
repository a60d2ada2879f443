#include "Logging.h"

Q_LOGGING_CATEGORY(lcDb, "playdeck.engine.db", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCluster, "playdeck.engine.cluster", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBus, "playdeck.engine.bus", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTaskManager, "playdeck.engine.taskmanager", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDispatch, "playdeck.engine.dispatch", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRunner, "playdeck.engine.runner", QtInfoMsg)
Q_LOGGING_CATEGORY(lcEvents, "playdeck.engine.events", QtInfoMsg)
Q_LOGGING_CATEGORY(lcController, "playdeck.engine.controller", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApi, "playdeck.engine.api", QtInfoMsg)
