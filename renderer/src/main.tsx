import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { DataProvider } from './data/DataProvider';
import { createConsoleRouter } from './routes/router';
import { keepFocusThroughDisabling } from './ui/focus';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  keepFocusThroughDisabling();
  const router = createConsoleRouter();
  createRoot(root).render(
    <StrictMode>
      <DataProvider>
        <RouterProvider router={router} />
      </DataProvider>
    </StrictMode>,
  );
}
